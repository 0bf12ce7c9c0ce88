import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe('long outputs in expressions', () => {
  it('`lines(stdout)[-1]` is the real last line of a 3 MiB output, and the result says it was cut', async () => {
    const w = workspace(`version: 1
name: long
steps:
  - id: build
    run: seq 1 400000 | sed 's/^/build log line /'; echo BUILD SUCCESSFUL
    success: lines(stdout)[-1] == "BUILD SUCCESSFUL" && lines(stdout)[0] == "build log line 1"
  - id: after
    run: echo "last=\${{ lines(steps.build.stdout)[-1] }}"
`);
    const json = join(w.dir, 'r.json');
    const r = await runCli(['run', w.file, '--output', 'plain', '--json', json], w.env);
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
    expect(r.stdout).toContain('last=BUILD SUCCESSFUL');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { steps: { id: string; note: string | null }[] };
    const build = report.steps.find((s) => s.id === 'build');
    expect(build?.note).toMatch(/expressions saw only the first and last lines of stdout \(\d+\.\d MiB\)/);
    expect(report.steps.find((s) => s.id === 'after')?.note ?? null).toBeNull();
  });

  it('notify commands get the real steps.*.stdout', async () => {
    const w = workspace(`version: 1
name: notified
notify:
  on: always
  command: echo "saw=\${{ steps.hello.stdout }}" > \${{ env.OUT }}
steps:
  - id: hello
    run: echo hello-from-step
`);
    const out = join(w.dir, 'notify.txt');
    const r = await runCli(['run', w.file], { ...w.env, OUT: out });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim()).toBe('saw=hello-from-step');
  });
});
