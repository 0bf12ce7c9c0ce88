import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { workspace } from './store-helpers.js';

describe('regexes run in linear time', () => {
  it('`stdout ~ /^(a+)+$/` on a 100,000-character line finishes, within the step timeout', async () => {
    const w = workspace(`version: 1
name: redos
steps:
  - id: long
    run: head -c 100000 /dev/zero | tr '\\\\0' a; echo b
    success: stdout ~ /^(a+)+$/
    timeout: 20s
  - id: after
    run: echo after-ran
`);
    // A backtracking engine blocks tasker's event loop here: the guard kills the CLI after 40 s.
    const r = await runCli(['run', w.file, '--output', 'plain'], w.env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/step-end id=long status=failed/);
  }, 60_000);

  it('a backreference is refused by validate at file:line:col', async () => {
    const w = workspace(`version: 1
name: backref
steps:
  - id: x
    run: echo aa
    success: stdout ~ /(a)\\1/
`);
    const r = await runCli(['validate', w.file], w.env);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/wf\.yaml:6:23: error bad-regex: .*backreferences/);
  });
});
