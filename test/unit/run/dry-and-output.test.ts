import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanRunDirs, cmd, ex, plan, run, tempRunDir } from './plan-builders.js';

afterEach(cleanRunDirs);

describe('output files that cannot be written', () => {
  it('a run directory that cannot be made fails the run before the first step, naming it', async () => {
    const blocker = join(tempRunDir(), 'not-a-dir');
    writeFileSync(blocker, 'a file where the run dir should be');
    const ran = await run(plan([cmd('a', 'a'), cmd('b', 'b')]), {}, { runDir: join(blocker, 'run') });
    expect(ran.result.status).toBe('failed');
    expect(ran.result.error).toMatch(/cannot write to the run directory .*not-a-dir\/run \(ENOTDIR\)/);
    expect(ran.result.steps).toEqual([]);
    expect(ran.fake.calls).toHaveLength(0);
  });

  it('a run directory gone mid-run fails the step that prints, with the reason, never rejects the run', async () => {
    const runDir = join(tempRunDir(), 'run');
    const scripts = { a: { stdout: ['one'] }, b: { stdout: ['two'] }, c: {} };
    const ran = await run(plan([cmd('a', 'a'), cmd('b', 'b'), cmd('c', 'c')]), scripts, {
      runDir,
      onEventToo: (e) => {
        if (e.kind === 'step-start' && e.id === 'b') rmSync(runDir, { recursive: true });
      },
    });
    expect(ran.byId.get('a')?.status).toBe('ok');
    expect(ran.byId.get('b')).toMatchObject({ status: 'failed', error: { code: 'output' } });
    expect(ran.byId.get('b')?.error?.message).toMatch(
      /cannot write step output: cannot create output file .*b\.stdout/,
    );
    expect(ran.result).toMatchObject({ status: 'failed', exitCode: 1, failedStep: 'b' });
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['a', 'b']);
  });
});

describe('dry run', () => {
  it('shows the success path: success expressions and loop until are not judged on placeholders', async () => {
    const checked = cmd('health', 'health', { spec: { success: ex('stdout ~ /ok/') } });
    const looped = cmd('wait', 'wait', {
      spec: { loop: { max: 5, delayMs: 0, until: ex('stdout ~ /ready/') } },
    });
    const ran = await run(plan([checked, looped]), {}, { dryRun: true });
    expect(ran.byId.get('health')?.status).toBe('ok');
    expect(ran.byId.get('wait')).toMatchObject({ status: 'ok', iterations: 1 });
    expect(ran.result.exitCode).toBe(0);
  });
});
