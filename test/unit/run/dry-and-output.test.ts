import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanRunDirs, cmd, ex, plan, run, tempRunDir } from './plan-builders.js';

afterEach(cleanRunDirs);

describe('output files that cannot be written', () => {
  it('fail the step with an output error and a reason, never reject the run', async () => {
    const blocker = join(tempRunDir(), 'not-a-dir');
    writeFileSync(blocker, 'a file where the run dir should be');
    const ran = await run(plan([cmd('a', 'a'), cmd('b', 'b')]), {}, { runDir: join(blocker, 'run') });
    expect(ran.byId.get('a')).toMatchObject({ status: 'failed', error: { code: 'output' } });
    expect(ran.byId.get('a')?.error?.message).toContain('cannot write step output');
    expect(ran.result).toMatchObject({ status: 'failed', exitCode: 1, failedStep: 'a' });
    expect(ran.fake.calls).toHaveLength(0);
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
