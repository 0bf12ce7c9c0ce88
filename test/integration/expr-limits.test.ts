import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, runCli, startCli } from '../helpers/cli.js';
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

describe('names that are Object.prototype properties', () => {
  it('`vars: {__proto__: x}` and `--var __proto__=x` are refused before anything runs; `constructor` works', async () => {
    const w = workspace(`version: 1
name: proto
vars:
  __proto__: x
steps:
  - run: echo hi
`);
    const v = await runCli(['validate', w.file], w.env);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/wf\.yaml:4:3: error bad-value: "__proto__" is not a valid name in `vars`/);
    expect(v.stderr).toContain('reserved');
    const ok = workspace(`version: 1
name: ctor
vars:
  constructor: declared
steps:
  - run: echo "value=\${{ vars.constructor }}"
`);
    const flag = await runCli(['run', ok.file, '--var', '__proto__=x'], ok.env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--var "__proto__=x"');
    const ran = await runCli(['run', ok.file, '--output', 'plain'], ok.env);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('value=declared');
  });
});

describe('non-regular files', () => {
  it('validate, plan, run, convert and the TASKER command line refuse a FIFO at once instead of hanging', async () => {
    const { execFileSync } = await import('node:child_process');
    const w = workspace('');
    const fifo = join(w.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const args of [['validate', fifo], ['plan', fifo], ['run', fifo], ['convert', fifo], [fifo]]) {
      // Nobody ever writes to the FIFO: a read would block until the 20 s guard kills the CLI.
      const r = await collect(startCli(args, w.env), 20_000);
      expect([args[0], r.code === 2 || r.code === 30]).toEqual([args[0], true]);
      expect(r.stderr).toMatch(/not a regular file/);
    }
    const dev = await runCli(['validate', '/dev/zero'], w.env);
    expect(dev.code).toBe(2);
    expect(dev.stderr).toMatch(/not a regular file/);
  }, 60_000);
});

describe('validate never prints the content of a file outside the workflow directory', () => {
  it('an inventory pointing at a private key or an env file: positions and codes, no text', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const w = workspace('');
    const secrets = join(w.dir, 'runner-secrets');
    mkdirSync(secrets);
    const key = join(secrets, 'id_rsa');
    const KEY_BODY = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW';
    writeFileSync(
      key,
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_BODY}\n-----END OPENSSH PRIVATE KEY-----\n`,
    );
    const repo = join(w.dir, 'repo');
    mkdirSync(repo);
    const file = join(repo, 'pr.yaml');
    writeFileSync(file, `version: 1\nname: pr\ninventory: ${key}\nsteps:\n  - run: uptime\n    hosts: all\n`);
    for (const format of ['text', 'json', 'github']) {
      const r = await runCli(['validate', '--format', format, file], w.env);
      expect(r.code).toBe(2);
      const all = r.stdout + r.stderr;
      expect(all).toContain(key);
      for (const secret of ['OPENSSH', 'PRIVATE', KEY_BODY.slice(0, 12), 'BEGIN'])
        expect([format, all]).not.toContain(secret);
      expect(all).toContain('outside the workflow');
    }
    const plan = await runCli(['plan', file], w.env);
    expect(plan.code).toBe(2);
    expect(plan.stderr).not.toContain('OPENSSH');
  });

  it('a file inside the workflow directory keeps its code frame', async () => {
    const { writeFileSync } = await import('node:fs');
    const w = workspace(
      'version: 1\nname: ok\ninventory: hosts.ini\nsteps:\n  - run: uptime\n    hosts: all\n',
    );
    writeFileSync(join(w.dir, 'hosts.ini'), '[web]\nweb1 ansible_port=notaport here\n');
    const r = await runCli(['validate', w.file], w.env);
    expect(r.stderr).toContain('hosts.ini:2:');
    expect(r.stderr).toContain(' 2 | web1 ansible_port=notaport here');
  });
});
