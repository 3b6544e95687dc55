/** `propgrade labs`: the labs found (bundled, and any named by --lab), with their folders and tasks. */
import { bundledLabs, configuredLab, loadLab, type Lab } from '../../lab/load.ts';
import { displayPath, UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';


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

export const command = defineCommand({
  description: "Lists the bundled labs (every folder under specs/ whose index.ts defines one) and those named by\n--lab, each with its folder, its submission file, the parts it has and its tasks.",
  options: { lab: { type: 'string', value: 'DIR', multiple: true, description: 'a lab folder to list besides the bundled ones' } },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`propgrade labs takes no positional arguments\nusage: ${command.usage('labs')}`);
    const named = await Promise.all((values.lab ?? []).map((dir) => loadLab(dir)));
    const bundled = await Promise.all((await bundledLabs()).map((dir) => loadLab(dir)));
    const labs = [...new Map([...bundled, ...named].map((lab) => [lab.dir, lab])).values()];
    console.log(labs.map(describe).join('\n\n'));
    return 0;
  },
});
