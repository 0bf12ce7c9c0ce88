import { describe, expect, it } from 'vitest';
import { escapeLabel, renderPlanMermaid } from '../../../src/report/plan-mermaid.js';
import { command, everyKindPlan, plan, returnNode, sequence } from './builders.js';

/** Mermaid node id whose label starts with `text`. */
function nodeId(chart: string, text: string): string {
  const m = chart
    .split('\n')
    .find((l) => new RegExp(`^  n\\d+\\W+"${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(l));
  expect(m, `node labelled ${text}`).toBeDefined();
  return /^ {2}(n\d+)/.exec(m!)![1]!;
}

function edges(chart: string): string[] {
  return chart
    .split('\n')
    .filter((l) => / -(?:->|\.->)/.test(l))
    .map((l) => l.trim());
}

describe('renderPlanMermaid', () => {
  const chart = renderPlanMermaid(everyKindPlan());
  const id = (text: string): string => nodeId(chart, text);

  it('is a top-down flowchart from start to finish', () => {
    expect(chart.startsWith('flowchart TD\n')).toBe(true);
    expect(chart).toContain('  start(["deploy"])');
    expect(chart).toContain('  finish(["end"])');
    expect(edges(chart)).toContain(`start --> ${id('build')}`);
  });

  it('links sequential steps and labels nodes with id, target and command', () => {
    expect(chart).toContain(`${id('build')}["build @ local<br/>npm ci #38;#38; npm run build"]`);
    expect(chart).toContain(`${id('copy-cfg')}["copy-cfg @ web1<br/>copy ./app.conf → /etc/app.conf"]`);
    expect(edges(chart)).toContain(`${id('build')} --> ${id('health')}`);
    expect(edges(chart)).toContain(`${id('health')} --> ${id('upload')}`);
    expect(chart).toContain(`${id('upload')}["upload @ web1, web2<br/>./deploy.sh v2"]`);
  });

  it('forks and joins a parallel block, with needs edges inside it', () => {
    const fork = id('parallel steps.3');
    const e = edges(chart);
    expect(e).toContain(`${id('upload')} --> ${fork}`);
    expect(e).toContain(`${fork} --> ${id('warm-a')}`);
    expect(e).toContain(`${fork} --> ${id('warm-b')}`);
    expect(e).toContain(`${id('warm-a')} -->|needs| ${id('smoke')}`);
    expect(e).toContain(`${id('warm-b')} -->|needs| ${id('smoke')}`);
    expect(e.some((l) => l.startsWith(`${fork} --> ${id('smoke')}`))).toBe(false);
    const join = id('join');
    expect(e).toContain(`${id('smoke')} --> ${join}`);
    expect(e.some((l) => l.startsWith(`${id('warm-a')} --> ${join}`))).toBe(false);
  });

  it('draws a branch as a decision with yes and no edges that meet again', () => {
    const decision = nodeId(chart, 'if ');
    expect(chart).toMatch(new RegExp(`  ${decision}\\{"if [^"]*"\\}`));
    const e = edges(chart);
    expect(e).toContain(`${id('join')} --> ${decision}`);
    expect(e).toContain(`${decision} -->|yes| ${id('steps.4.then.0')}`);
    expect(e).toContain(`${decision} -->|no| ${id('steps.4.else.0')}`);
    expect(e).toContain(`${id('steps.4.then.0')} --> ${id('copy-cfg')}`);
    expect(e).toContain(`${id('steps.4.else.0')} --> ${id('copy-cfg')}`);
  });

  it('sends returns through finally to the end and draws jumps dashed', () => {
    const e = edges(chart);
    const ret = id('return 0');
    expect(e).toContain(`${id('copy-cfg')} --> ${ret}`);
    expect(e).toContain(`${ret} --> ${id('cleanup')}`);
    expect(e).toContain(`${id('health')} -.->|on_failure| ${id('rollback')}`);
    expect(e.filter((l) => l.endsWith(` ${id('rollback')}`))).toEqual([
      `${id('health')} -.->|on_failure| ${id('rollback')}`,
    ]);
    expect(e).toContain(`${id('rollback')} -->|return 1| ${id('cleanup')}`);
    expect(e).toContain(`${id('cleanup')} --> finish`);
    expect(e.filter((l) => l.endsWith(' finish'))).toEqual([`${id('cleanup')} --> finish`]);
  });

  it('without a finally, a return goes straight to the end', () => {
    const chart2 = renderPlanMermaid(plan([command('a', 'x', { returnCode: 4 }), command('b', 'y')]));
    const e = edges(chart2);
    expect(e).toContain(`${nodeId(chart2, 'a')} -->|return 4| finish`);
    expect(e.filter((l) => l.endsWith(` ${nodeId(chart2, 'b')}`))).toEqual([]);
  });

  it('after a return inside a nested block with finally, its finally leads to the end', () => {
    const inner = sequence('blk', [returnNode('r', 2)], [command('tidy', 'y')]);
    const chart2 = renderPlanMermaid(plan([inner, command('after', 'z')]));
    const e = edges(chart2);
    const tidy = nodeId(chart2, 'tidy');
    expect(e).toContain(`${nodeId(chart2, 'return 2')} --> ${tidy}`);
    expect(e).toContain(`${tidy} -->|return| finish`);
  });

  it('leads the last step into finally and finally into the end', () => {
    const chart2 = renderPlanMermaid(plan([command('a', 'x')], [command('b', 'y')]));
    const e = edges(chart2);
    expect(e).toContain(`${nodeId(chart2, 'a')} -->|finally| ${nodeId(chart2, 'b')}`);
    expect(e).toContain(`${nodeId(chart2, 'b')} --> finish`);
  });

  it('escapes quotes, #, angle brackets and pipes in labels', () => {
    expect(escapeLabel('a"b#c<d>e|f&g`h')).toBe('a#34;b#35;c#60;d#62;e#124;f#38;g#96;h');
    const weird = renderPlanMermaid(plan([command('x"y', 'echo "<hi>" | cat')]));
    expect(weird).toContain('["x#34;y @ local<br/>echo #34;#60;hi#62;#34; #124; cat"]');
    for (const line of weird.split('\n').slice(1, -1))
      expect(line.match(/"/g)?.length ?? 0).toBeLessThanOrEqual(2);
  });
});
