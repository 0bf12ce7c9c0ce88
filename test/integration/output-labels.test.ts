import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

// Steps without an id, nested or retried: every line about one step uses the label its start line used.
const WORKFLOW = `version: 1
steps:
  - run: echo first-out; echo first-err >&2
  - parallel:
      - run: echo nested-out; exit 3
        retry: { attempts: 2, delay: 10ms }
      - run: "true"
`;

describe('user-facing step labels in run output', () => {
  it.each(['plain', 'pretty'])('%s output never shows an internal path such as steps.0', async (output) => {
    const dir = tempDir('tasker-labels-');
    const file = join(dir, 'w.yaml');
    writeFileSync(file, WORKFLOW);
    const r = await runCli(['run', '--output', output, file], { TASKER_STATE_HOME: join(dir, 'state') });
    expect(r.code, r.stderr).toBe(1);
    const text = r.stdout + r.stderr;
    expect(text).toContain('first-out');
    expect(text).toContain('nested-out');
    expect(text).not.toMatch(/\bsteps\.\d/);
    expect(text).not.toMatch(/\bparallel\.\d/);
    if (output === 'pretty') expect(text).toContain('retry in 10ms (attempt 2)');
    if (output === 'plain') {
      expect(text).toMatch(/out id=steps\[1\] stream=stdout \| first-out/);
      expect(text).toContain('step-retry id="steps[2] parallel[1]" attempt=2 ');
    }
  });
});
