/** `propgrade labs`: the labs found (bundled, and any named by --lab), with their folders and tasks. */
import { bundledLabs, configuredLab, loadLab, type Lab } from '../../lab/load.ts';
import { displayPath, parseCommand } from '../args.ts';

const USAGE = 'propgrade labs [--lab DIR]...';


function describe(lab: Lab): string {
  const width = Math.max(...lab.tasks.map((t) => t.id.length));
  const parts = (['reference', 'template', 'guide', 'corpus', 'driver', 'oracle', 'harden'] as const).filter((p) => lab.paths[p]);
  const tasks = lab.tasks.map((t) => {
    const hidden = t.properties.filter((p) => p.visibility === 'hidden').length;
    return `    ${t.id.padEnd(width)}  ${String(t.points).padStart(3)} pt  ${t.exports.map((e) => e.name).join(', ')}  (${t.properties.length - hidden} public, ${hidden} hidden properties)`;
  });
  const marker = lab.dir === configuredLab() ? ' (default)' : '';
  return [`${lab.id}${marker}: ${lab.title}`, `  folder ${displayPath(lab.dir)}, submission file ${lab.submission}; has ${parts.join(', ') || 'no other part'}`, ...tasks].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('labs', argv, { lab: { type: 'string', multiple: true } }, USAGE);
  if (values.help) {
    console.log(`usage: ${USAGE}\n\nLists the bundled labs (every folder under specs/ whose index.ts defines one) and those named by --lab,\neach with its folder, its submission file, the parts it has and its tasks.`);
    return 0;
  }
  if (positionals.length > 0) {
    console.error(`propgrade labs takes no positional arguments\nusage: ${USAGE}`);
    return 2;
  }
  const named = await Promise.all((values.lab ?? []).map((dir) => loadLab(dir)));
  const bundled = await Promise.all((await bundledLabs()).map((dir) => loadLab(dir)));
  const labs = [...new Map([...bundled, ...named].map((lab) => [lab.dir, lab])).values()];
  console.log(labs.map(describe).join('\n\n'));
  return 0;
}
