import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const valid = 'fixtures/workflows/valid';
const invalid = 'fixtures/workflows/invalid';
const firstFixture = (dir: string) =>
  join(
    dir,
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()[0]!,
  );

describe('tasker CLI: flags and usage', () => {
  it('prints its version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('prints help listing every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['validate', 'plan', 'run', 'schema']) expect(r.stdout).toContain(cmd);
  });

  it('exits 2 with help when no command is given, 0 for `tasker help`', async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout + bare.stderr).toContain('Usage: tasker');
    expect((await runCli(['help'])).code).toBe(0);
  });

  it('exits 2 naming an unknown flag', async () => {
    const r = await runCli(['run', 'tasks/hello.yaml', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--no-such-flag');
  });

  it('exits 2 naming a malformed --var', async () => {
    const r = await runCli(['validate', 'tasks/hello.yaml', '--var', 'novalue']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--var');
  });

  it('exits 2 naming a bad --format value', async () => {
    const r = await runCli(['validate', 'tasks/hello.yaml', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format');
  });

  it('prints the JSON Schema', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { $schema?: string }).$schema).toContain('json-schema.org');
  });
});

describe('tasker validate', () => {
  it('accepts every example in tasks/ and exits 0', async () => {
    const files = readdirSync('tasks').map((f) => join('tasks', f));
    const r = await runCli(['validate', ...files]);
    expect(r.stderr).not.toMatch(/: error /);
    expect(r.code).toBe(0);
  });

  it('exits 2 on an invalid file and points at file:line:col', async () => {
    const file = firstFixture(invalid);
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+`));
  });

  it('reports a missing file as a diagnostic, not a crash', async () => {
    const r = await runCli(['validate', 'does/not/exist.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does/not/exist.yaml');
    expect(r.stderr).not.toContain('internal error');
  });

  it('never prints the bytes of a binary file as a code frame', async () => {
    const file = join(tempDir(), 'binary.yaml');
    writeFileSync(
      file,
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe, 0x0a, 0x1b, 0x5b, 0x32, 0x4a]),
    );
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-file');
    const raw = [...r.stderr].filter(
      (ch) => ch.charCodeAt(0) < 0x09 || ch === '\u001b' || ch === '\u007f' || ch === '\ufffd',
    );
    expect(raw).toEqual([]);
  });

  it('prints JSON diagnostics with codes and positions', async () => {
    const file = firstFixture(invalid);
    const r = await runCli(['validate', '--format', 'json', file, firstFixture(valid)]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      files: { file: string; valid: boolean; diagnostics: { code: string; span: { line: number } }[] }[];
    };
    expect(out.valid).toBe(false);
    expect(out.files[0]!.valid).toBe(false);
    expect(out.files[0]!.diagnostics[0]!.code).toMatch(/^[a-z-]+$/);
    expect(out.files[0]!.diagnostics[0]!.span.line).toBeGreaterThan(0);
    expect(out.files[1]!.valid).toBe(true);
  });

  it('prints GitHub annotations', async () => {
    const file = firstFixture(invalid);
    const r = await runCli(['validate', '--format', 'github', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::(error|warning) file=[^,]+,line=\d+,col=\d+/m);
  });

  it('names an Ansible inventory variable tasker ignores (ansible_become) in a warning (issue 10)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hosts.ini'), '[web]\nw1 ansible_host=10.0.0.1 ansible_become=true\n');
    const file = join(dir, 'wf.yaml');
    writeFileSync(
      file,
      'version: 1\ninventory: hosts.ini\nsteps:\n  - hosts: web\n    run: systemctl reload nginx\n',
    );
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/hosts\.ini:2:\d+: warning inventory: ansible_become is ignored/);
    expect(r.stderr).toContain('use `sudo:` on the steps that need it');
    expect((await runCli(['validate', '--strict', file])).code).toBe(2);
  });
});

describe('tasker plan', () => {
  it('prints a tree, JSON and mermaid', async () => {
    const tree = await runCli(['plan', 'tasks/parallel.yaml']);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toContain('checks');
    const json = await runCli(['plan', '--format', 'json', 'tasks/parallel.yaml']);
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout) as { name: string; root: { kind: string } };
    expect(plan.name).toBe('parallel-checks');
    expect(plan.root.kind).toBe('sequence');
    const mermaid = await runCli(['plan', '--format', 'mermaid', 'tasks/parallel.yaml']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart/m);
  });

  it('applies --var overrides', async () => {
    const json = await runCli(['plan', '--format', 'json', '--var', 'greeting=hi there', 'tasks/hello.yaml']);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain('hi there');
  });
});

describe('tasker run: examples', () => {
  it('runs hello.yaml and writes a JSON report in execution order', async () => {
    const dir = tempDir();
    const report = join(dir, 'report.json');
    const r = await runCli(['run', 'tasks/hello.yaml', '--json', report]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Hello from tasker');
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      status: string;
      exitCode: number;
      steps: { id: string; status: string }[];
    };
    expect(json.exitCode).toBe(0);
    expect(json.steps.filter((s) => ['hello', 'kernel', 'report'].includes(s.id)).map((s) => s.id)).toEqual([
      'hello',
      'kernel',
      'report',
    ]);
    expect(json.steps.every((s) => s.status === 'ok')).toBe(true);
  });

  it('runs parallel.yaml', async () => {
    const r = await runCli(['run', 'tasks/parallel.yaml']);
    expect(r.stdout + r.stderr).toContain('checks finished');
    expect(r.code).toBe(0);
  });

  it('dry-runs deploy.yaml without connecting anywhere', async () => {
    const r = await runCli(['run', '--dry-run', 'tasks/deploy.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deploying');
  });
});
