/**
 * propgrade: programmatic grading. Load a lab, grade a submission against it, write the reports
 * (the same files `propgrade grade` writes):
 *
 *   import { gradeSubmission, loadLab, writeReports } from 'propgrade';
 *   const lab = await loadLab('specs/rnn');
 *   const report = await gradeSubmission('submissions/alice', { lab, seed: 1 });
 *   await writeReports(report, 'reports/alice', lab);
 *
 * The engine is `propgrade/autograd`; the API labs are written in is `propgrade/spec`.
 */
export { gradeSubmission, labOf, replayCommand, SelectionError, selectTasks, type GradeEvent, type GradeOptions } from './grading/grade.ts';
export { BUNDLED_LABS, DEFAULT_LAB, LabError, bundledLabs, loadLab, type Lab } from './lab/load.ts';
export type { Finding, GradeReport, PropertyOutcome, TaskBreak, TaskOutcome } from './model/report.ts';
export { renderHtmlReport } from './reports/html/submission.ts';
export { toJUnit } from './reports/junit.ts';
export { toMarkdown } from './reports/markdown.ts';
export { toGradescope, totalScore, type GradescopeResults, type GradescopeTest, type GradescopeVisibility } from './reports/results.ts';
export { writeReports, type ReportFiles } from './reports/write.ts';
