import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/** The workflow-format semantics through the built CLI on fixture files (the fake-executor unit tests cover the rest). */
interface Step {
  id: string;
  status: string;
  exitCode: number | null;
  iterations: number;
  attempts: unknown[];
  skipReason: string | null;
}
interface Report {
  exitCode: number;
  status: string;
  steps: Step[];
}

async function run(
  name: string,
  vars: Record<string, string> = {},
): Promise<{ report: Report; stdout: string }> {
  const report = join(tempDir(), 'report.json');
  const varFlags = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
  const r = await runCli([
    'run',
    '--no-history',
    '--output',
    'plain',
    '--json',
    report,
    ...varFlags,
    `fixtures/run/semantics/${name}.yaml`,
  ]);
  const parsed = JSON.parse(readFileSync(report, 'utf8')) as Report;
  expect(r.code, r.stderr).toBe(parsed.exitCode);
  return { report: parsed, stdout: r.stdout };
}

const step = (r: Report, id: string): Step => {
  const s = r.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id} in ${r.steps.map((x) => x.id).join(', ')}`);
  return s;
};
const order = (r: Report, ids: string[]) => r.steps.map((s) => s.id).filter((id) => ids.includes(id));

describe('workflow semantics through the CLI', () => {
  it('parallel: needs edges order children and carry outputs', async () => {
    const { report } = await run('parallel-needs');
    expect(report.exitCode).toBe(0);
    expect(order(report, ['a', 'b', 'after']).at(-1)).toBe('after');
    expect(step(report, 'after').status).toBe('ok');
  });

  it('parallel: a min_success policy tolerates one failed child', async () => {
    const { report } = await run('parallel-policy');
    expect(report.exitCode).toBe(0);
    expect(step(report, 'bad')).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(step(report, 'block').status).toBe('ok');
    expect(step(report, 'next').status).toBe('ok');
  });

  it('parallel: fail_fast cancels the running sibling', async () => {
    const { report } = await run('fail-fast');
    expect(report.exitCode).toBe(1);
    expect(step(report, 'bad').status).toBe('failed');
    expect(step(report, 'slow').status).toBe('cancelled');
  });

  it('when skips; if takes the branch its condition picks', async () => {
    const { report } = await run('when-if');
    expect(report.exitCode).toBe(0);
    expect(step(report, 'skipped')).toMatchObject({ status: 'skipped', skipReason: 'condition' });
    expect(step(report, 'then-step').status).toBe('ok');
    expect(step(report, 'else-step').status).toBe('skipped');
  });

  it('loop runs until its condition holds, and the last output flows on', async () => {
    const { report } = await run('loop-until', { counter: join(tempDir(), 'n') });
    expect(report.exitCode).toBe(0);
    expect(step(report, 'poll')).toMatchObject({ status: 'ok', iterations: 3 });
    expect(step(report, 'seen').status).toBe('ok');
  });

  it('retry tries again until success, and only on the listed exit codes', async () => {
    const { report } = await run('retry', { counter: join(tempDir(), 'n') });
    expect(report.exitCode).toBe(0);
    expect(step(report, 'flaky').status).toBe('ok');
    expect(step(report, 'flaky').attempts).toHaveLength(3);
    expect(step(report, 'only-on-75').attempts).toHaveLength(1);
  });

  it('continue_on_error goes on; on_success jumps forward over steps', async () => {
    const { report } = await run('routing');
    expect(report.exitCode).toBe(0);
    expect(step(report, 'tolerated')).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(step(report, 'jumped-over')).toMatchObject({ status: 'skipped', skipReason: 'jumped-over' });
    expect(step(report, 'landing').status).toBe('ok');
  });

  it("a block's defaults apply inside it and its finally runs after a failure", async () => {
    const marker = join(tempDir(), 'm');
    const { report } = await run('block-finally', { marker });
    expect(report.exitCode).toBe(1);
    expect(step(report, 'stage').status).toBe('ok');
    expect(step(report, 'broken')).toMatchObject({ status: 'failed', exitCode: 4 });
    expect(step(report, 'never')).toMatchObject({ status: 'skipped', skipReason: 'not-reached' });
    expect(readFileSync(marker, 'utf8').trim()).toBe('cleaned');
  });

  it('argv, env, cwd, stdin, quoting of outputs and sleep', async () => {
    const { report } = await run('io');
    expect(report.steps.filter((s) => s.status !== 'ok').map((s) => s.id)).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  it('a timeout on a block stops it: timed-out, exit 4', async () => {
    const { report } = await run('block-timeout');
    expect(report.exitCode).toBe(4);
    expect(step(report, 'slow-block').status).toBe('timed-out');
  });

  it('return inside a block ends the workflow with its code after both finally blocks', async () => {
    const marker = join(tempDir(), 'm');
    const { report } = await run('nested-return', { marker });
    expect(report.exitCode).toBe(6);
    expect(step(report, 'unreached').status).toBe('skipped');
    expect(readFileSync(marker, 'utf8').trim().split('\n')).toEqual(['block-finally', 'workflow-finally']);
  });
});
