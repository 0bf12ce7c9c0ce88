import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

/** Every S-rule fixture (reference tasker-2.2-screening.md), through the built TASKER-style command line. */
const dirOf = (kind: string) => join(repoRoot, 'fixtures/tasker', kind);
const sRules = (kind: string) =>
  readdirSync(dirOf(kind))
    .filter((f) => /^s\d+-.*\.txt$/.test(f))
    .map((f) => f.slice(0, -4))
    .sort();
const expected = (kind: string, name: string) =>
  (JSON.parse(readFileSync(join(dirOf(kind), `${name}.expect.json`), 'utf8')) as { exit: number }).exit;
const file = (kind: string, name: string) => join(dirOf(kind), `${name}.txt`);

function writeTaskFile(text: string, name = 'jobs.txt'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

describe.concurrent('S-rule fixtures on the TASKER-style command line', () => {
  it('covers every rule S1-S14 with refused forms and S1-S13 with accepted ones (S11 included)', () => {
    const rules = (kind: string) => new Set(sRules(kind).map((n) => n.split('-')[0]));
    expect([...rules('invalid')].sort()).toEqual(
      ['s1', 's10', 's12', 's13', 's14', 's2', 's3', 's5', 's8', 's9'].sort(),
    );
    expect([...rules('valid')].sort()).toEqual(
      ['s1', 's10', 's11', 's12', 's13', 's2', 's3', 's4', 's5', 's6', 's7', 's9'].sort(),
    );
  });

  it.each(sRules('invalid'))('refused: %s', async (name) => {
    const r = await runCli([file('invalid', name), '--validate-only']);
    expect(r.code, r.stderr).toBe(expected('invalid', name));
    expect(r.stderr).toContain(`${name}.txt:`);
    // A dry run refuses the same file with the same code.
    expect((await runCli([file('invalid', name)])).code).toBe(expected('invalid', name));
  });

  it.each(sRules('valid'))('accepted: %s', async (name) => {
    const r = await runCli(['-r', file('valid', name), '--log-level=ERROR']);
    expect(r.code, r.stderr).toBe(expected('valid', name));
    expect((await runCli([file('valid', name), '--validate-only'])).code).toBe(0);
  });
});

describe.concurrent('screening flags (built CLI)', () => {
  it('S1: --skip-security-validation and --skip-validation turn the task screening off', async () => {
    const f = file('invalid', 's1-sh-c-rm-local');
    expect((await runCli([f, '--validate-only', '--skip-security-validation'])).code).toBe(0);
    expect((await runCli([f, '--validate-only', '--skip-validation'])).code).toBe(0);
  });

  it('S2: no flag skips the screening of globals', async () => {
    const f = file('invalid', 's2-unused-injection');
    for (const flag of ['--skip-security-validation', '--skip-task-validation', '--skip-validation'])
      expect((await runCli([f, '--validate-only', flag])).code).toBe(20);
  });

  it('S3: --strict-env-validation on the command line, with the variable set or not', async () => {
    const f = writeTaskFile(
      'OWNER=$LOGNAME\nBUILD=$TASKER_BUILD\ntask=0\nhostname=localhost\ncommand=true\n',
    );
    expect((await runCli([f, '--validate-only'])).code).toBe(0);
    const strict = await runCli([f, '--validate-only', '--strict-env-validation'], { LOGNAME: 'me' });
    expect(strict.code).toBe(20);
    expect(strict.stderr).toContain('$LOGNAME');
    expect(strict.stderr).not.toContain('$TASKER_BUILD');
  });

  it('S12: a single-dash long flag exits 2 even with other errors; a CLI-only flag in the file is 20', async () => {
    const r = await runCli([file('invalid', 's12-single-dash-long')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid argument syntax '-debug'");
    expect((await runCli([writeTaskFile('--help\ntask=0\nhostname=h\ncommand=true\n'), '-r'])).code).toBe(20);
  });

  it('S14: an unresolved hostname is 20; 0 with --skip-host-validation or --skip-unresolved-host-validation', async () => {
    const f = file('invalid', 's14-unresolved-hostname');
    expect((await runCli([f, '--validate-only'])).code).toBe(20);
    expect((await runCli([f, '--validate-only', '--skip-host-validation'])).code).toBe(0);
    const warned = await runCli([f, '--validate-only', '--skip-unresolved-host-validation', '-d']);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('@SITE@');
  });
});

describe.concurrent('execution_types.yaml lookup (built CLI)', () => {
  const types = (binary: string) =>
    `platforms:\n  linux:\n    fake:\n      binary: ${binary}\n      command_template: ["{binary}", "{command}", "{arguments_split}"]\n`;
  const job = () =>
    writeTaskFile(
      'task=0\nexec=fake\nhostname=localhost\ncommand=echo\narguments=via-fake\nsuccess=stdout~via-fake\n',
    );

  it('--exec-types names the file, and -d says which file was used', async () => {
    const cfg = join(tempDir(), 'types.yaml');
    writeFileSync(cfg, types('env'));
    const r = await runCli(['-r', job(), '--exec-types', cfg, '-d', '--skip-host-validation']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`execution types: ${cfg}`);
    const v = await runCli(['validate', job(), '--exec-types', cfg, '-d']);
    expect(v.code).toBe(0);
    expect(v.stderr).toContain(`execution types: ${cfg}`);
  });

  it('$TASKER_EXEC_TYPES, then $XDG_CONFIG_HOME/tasker/; a named file that is missing is an error', async () => {
    const cfg = join(tempDir(), 'types.yaml');
    writeFileSync(cfg, types('env'));
    const byEnv = await runCli(['run', job(), '-d'], { TASKER_EXEC_TYPES: cfg });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(byEnv.stderr).toContain(`execution types: ${cfg}`);
    const xdg = tempDir();
    mkdirSync(join(xdg, 'tasker'));
    writeFileSync(join(xdg, 'tasker', 'execution_types.yaml'), types('env'));
    const byXdg = await runCli(['validate', job(), '-d'], { XDG_CONFIG_HOME: xdg });
    expect(byXdg.code, byXdg.stderr).toBe(0);
    expect(byXdg.stderr).toContain(join(xdg, 'tasker', 'execution_types.yaml'));
    const none = await runCli(['validate', job()], { XDG_CONFIG_HOME: tempDir() });
    expect(none.code).toBe(2);
    const missing = await runCli(['validate', job(), '--exec-types', '/nonexistent/types.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/types.yaml');
  });
});

describe.concurrent('S14 host pre-validation (built CLI, real DNS and ping)', () => {
  const cfgWith = (types: string): string => {
    const cfg = join(tempDir(), 'types.yaml');
    writeFileSync(cfg, `platforms:\n  linux:\n${types}`);
    return cfg;
  };
  const shType = (name: string, test: string) =>
    `    ${name}:\n      binary: sh\n      command_template: ["{binary}", "-c", "{command} {arguments}"]\n      validation_test: ${test}\n`;
  /**
   * A `ping` that fails for the hosts given and runs the real one otherwise: a host that reliably
   * does not answer cannot be had in this sandbox (even TEST-NET addresses answer here).
   */
  const failingPing = (...hosts: string[]): string => {
    const dir = tempDir();
    const cases = hosts.map((h) => `    ${h}) exit 1 ;;`).join('\n');
    writeFileSync(
      join(dir, 'ping'),
      `#!/bin/sh\nfor last; do :; done\ncase "$last" in\n${cases}\nesac\nexec /usr/bin/ping "$@"\n`,
      { mode: 0o755 },
    );
    return `${dir}:${process.env.PATH ?? ''}`;
  };

  it('exit 21 when a host does not resolve, in a dry run and with --validate-only; 0 when skipped', async () => {
    const f = writeTaskFile('task=0\nexec=shell\nhostname=no-such-host.invalid\ncommand=true\n');
    const r = await runCli([f]);
    expect(r.code).toBe(21);
    expect(r.stderr).toContain('no-such-host.invalid');
    expect((await runCli([f, '--validate-only'])).code).toBe(21);
    expect((await runCli([f, '--validate-only', '--skip-host-validation'])).code).toBe(0);
    expect((await runCli([f, '--validate-only', '--skip-validation'])).code).toBe(0);
  });

  it('a local task is never checked; a shell task on localhost passes (real ping)', async () => {
    const local = writeTaskFile('task=0\nhostname=no-such-host.invalid\ncommand=true\n');
    expect((await runCli([local, '--validate-only'])).code).toBe(0);
    const shell = writeTaskFile('task=0\nexec=shell\nhostname=localhost\ncommand=true\n');
    expect((await runCli(['-r', shell, '--log-level=ERROR'])).code).toBe(0);
  });

  it('exit 60 for a host that does not answer ping, which beats 21', async () => {
    const f = writeTaskFile(
      'task=0\nexec=shell\nhostname=localhost\ncommand=true\ntask=1\nexec=shell\nhostname=no-such-host.invalid\ncommand=true\n',
    );
    const r = await runCli([f, '--validate-only'], { PATH: failingPing('localhost') });
    expect(r.code, r.stderr).toBe(60);
    expect(r.stderr).toContain('localhost: it does not answer ping');
  });

  it('exit 61 for an exec type whose binary is not installed, unless --skip-command-validation', async () => {
    const cfg = cfgWith(
      '    pbrun:\n      binary: /nonexistent/pbrun\n      command_template: ["{binary}", "{hostname}", "{command}"]\n',
    );
    const f = writeTaskFile('task=0\nexec=pbrun\nhostname=localhost\ncommand=true\n');
    const r = await runCli([f, '--validate-only', '--exec-types', cfg]);
    expect(r.code).toBe(61);
    expect(r.stderr).toContain('/nonexistent/pbrun (pbrun)');
    const skipped = await runCli([f, '--validate-only', '--exec-types', cfg, '--skip-command-validation']);
    expect(skipped.code, skipped.stderr).toBe(0);
  });

  it('exit 61 when a validation_test fails (exit code or output), which beats 60', async () => {
    const cfg = cfgWith(
      shType('good', '{command: echo, arguments: OK, expected_output: OK}') +
        shType('badout', '{command: echo, arguments: NOPE, expected_output: OK}') +
        shType('badexit', '{command: "exit 3", expected_exit: 0}'),
    );
    const job = (type: string, extra = '') =>
      writeTaskFile(`task=0\nexec=${type}\nhostname=localhost\ncommand=true\n${extra}`);
    expect((await runCli([job('good'), '--validate-only', '--exec-types', cfg])).code).toBe(0);
    expect((await runCli([job('badout'), '--validate-only', '--exec-types', cfg])).code).toBe(61);
    expect((await runCli([job('badexit'), '--validate-only', '--exec-types', cfg])).code).toBe(61);
    const mixed = job('badout', 'task=1\nexec=shell\nhostname=127.0.0.2\ncommand=true\n');
    const r = await runCli([mixed, '--validate-only', '--exec-types', cfg], {
      PATH: failingPing('127.0.0.2'),
    });
    expect(r.code, r.stderr).toBe(61);
  });

  it("a test's own timeout fails a slow test; $VALIDATION_TEST_TIMEOUT overrides it", async () => {
    const cfg = cfgWith(shType('slow', '{command: sleep, arguments: "2", timeout: 1}'));
    const f = writeTaskFile('task=0\nexec=slow\nhostname=localhost\ncommand=true\n');
    expect((await runCli([f, '--validate-only', '--exec-types', cfg])).code).toBe(61);
    const longer = await runCli([f, '--validate-only', '--exec-types', cfg], {
      VALIDATION_TEST_TIMEOUT: '20',
    });
    expect(longer.code, longer.stderr).toBe(0);
  });
});
