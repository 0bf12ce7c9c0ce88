import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, collect, repoRoot, startCli, tempDir } from '../helpers/cli.js';
import { startSshd, TEST_USER, type TestSshd } from '../helpers/sshd.js';
import { readReport, type Report } from './fanout-helpers.js';

/**
 * Real sudo, over SSH (sshd logs in as the non-root `taskert`) and locally (the CLI started as
 * `taskert`). Setup gives `taskert` a password and a sudoers rule that asks for it every time.
 */
const SUDOERS = '/etc/sudoers.d/tasker-test';
const PASSWORD = `tasker-sudo-${randomBytes(8).toString('hex')}`;

function sudoPath(): string | undefined {
  for (const p of ['/usr/bin/sudo', '/bin/sudo', '/usr/local/bin/sudo']) if (existsSync(p)) return p;
  return undefined;
}

function whyNot(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root (needs chpasswd and /etc/sudoers.d)';
  if (!sudoPath()) return 'sudo is not installed (apt-get install -y sudo)';
  return undefined;
}

const reason = whyNot();
if (reason !== undefined) {
  const msg = `!!! sudo integration tests cannot run: ${reason}`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.error(msg);
}
const sshd: TestSshd | undefined = reason === undefined ? await startSshd() : undefined;
const uid = (name: string): number => Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());

beforeAll(() => {
  if (!sshd) return;
  execFileSync('chpasswd', [], { input: `${TEST_USER}:${PASSWORD}\n` });
  // timestamp_timeout=0: every sudo asks, so no test passes on credentials cached by another.
  const rules = `Defaults:${TEST_USER} timestamp_timeout=0, lecture=never\n${TEST_USER} ALL=(ALL) ALL\n`;
  const tmp = join(tempDir('tasker-sudoers-'), 'tasker-test');
  writeFileSync(tmp, rules, { mode: 0o440 });
  execFileSync('visudo', ['-cf', tmp], { stdio: 'pipe' });
  writeFileSync(SUDOERS, rules, { mode: 0o440 });
  chmodSync(SUDOERS, 0o440);
});

afterAll(async () => {
  if (!sshd) return;
  rmSync(SUDOERS, { force: true });
  execFileSync('usermod', ['-p', '*', TEST_USER]);
  await sshd.stop();
});

/** A directory and files the non-root test user can read and write. */
function sharedTemp(prefix: string): string {
  const dir = tempDir(prefix);
  chmodSync(dir, 0o777);
  return dir;
}

function workflow(steps: string): string {
  const s = sshd!;
  const dir = sharedTemp('tasker-sudo-wf-');
  const file = join(dir, 'flow.yaml');
  writeFileSync(
    file,
    `version: 1\nsecrets: [SUDO_PW]\nhosts:\n  box: { address: ${s.addresses[0]}, port: ${s.port}, user: ${s.user}, key: ${s.keyFile} }\nsteps:\n${steps}`,
  );
  chmodSync(file, 0o644);
  return file;
}

type Step = Report['steps'][number] & { stderrFile: string | null };

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Omit<Report, 'steps'> & { steps: Step[] };
  home: string;
  json: string;
}

function args(file: string, json: string): string[] {
  return ['run', file, '--output', 'plain', '--known-hosts', sshd!.knownHostsFile, '--json', json];
}

async function finish(child: ReturnType<typeof startCli>, home: string, json: string): Promise<Ran> {
  const r = await collect(child);
  return { ...r, report: readReport(json) as Ran['report'], home, json };
}

/** The built CLI as root (the SSH side logs in as taskert), SUDO_PW set to `password`. */
function start(file: string, password = PASSWORD) {
  const home = tempDir('tasker-sudo-home-');
  const json = join(tempDir(), 'report.json');
  return { child: startCli(args(file, json), { TASKER_HOME: home, SUDO_PW: password }), home, json };
}

async function run(file: string, password = PASSWORD): Promise<Ran> {
  const s = start(file, password);
  return finish(s.child, s.home, s.json);
}

function step(r: Ran, id: string): Step {
  const found = r.report.steps.find((s) => s.id === id || s.id.startsWith(`${id}@`));
  if (!found) throw new Error(`no step ${id} in ${JSON.stringify(r.report.steps)}`);
  return found;
}

// A stream that printed nothing has no file: read as empty, like every reader of outputs.
const read = (path: string | null): string => (path && existsSync(path) ? readFileSync(path, 'utf8') : '');

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The password is nowhere tasker writes: CLI output, the JSON report, the run dir, the history. */
function expectNoPassword(r: Ran): void {
  expect(r.stdout).not.toContain(PASSWORD);
  expect(r.stderr).not.toContain(PASSWORD);
  expect(readFileSync(r.json, 'utf8')).not.toContain(PASSWORD);
  const files = filesUnder(r.home);
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(readFileSync(f).includes(PASSWORD), f).toBe(false);
}

describe.skipIf(!sshd)('sudo over SSH against a real sudo (login as taskert, password required)', () => {
  it('sudo: true with the password from a secret runs as root; sudo: nobody as nobody', async () => {
    const file = workflow(
      [
        '  - { id: root, host: box, sudo: true, sudo_password: SUDO_PW, run: id -u }',
        '  - { id: nobody, host: box, sudo: nobody, sudo_password: SUDO_PW, run: id -u }',
        '  - { id: stdin, host: box, sudo: true, sudo_password: SUDO_PW, stdin: "line one\\n", run: cat }',
        '  - { id: pty, host: box, sudo: true, sudo_password: SUDO_PW, pty: true, run: id -u }',
        '  - { id: self, host: box, run: id -u }',
      ].join('\n') + '\n',
    );
    const r = await run(file);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(read(step(r, 'root').stdoutFile)).toBe('0\n');
    expect(read(step(r, 'nobody').stdoutFile)).toBe(`${uid('nobody')}\n`);
    // The password line went to sudo, the step's stdin to the command.
    expect(read(step(r, 'stdin').stdoutFile)).toBe('line one\n');
    // A terminal may echo the password line before sudo turns echo off: it is masked like any secret.
    expect(read(step(r, 'pty').stdoutFile)).toMatch(/^0\r?$/m);
    expect(read(step(r, 'self').stdoutFile)).toBe(`${uid(TEST_USER)}\n`);
    expectNoPassword(r);
  });

  it('a wrong password fails the step with sudo’s message and ends (no hang)', async () => {
    const file = workflow('  - { id: bad, host: box, sudo: true, sudo_password: SUDO_PW, run: id -u }\n');
    const r = await run(file, 'not-the-password');
    expect(r.code).toBe(1);
    const bad = step(r, 'bad');
    expect(bad.status).toBe('failed');
    expect(bad.exitCode).toBe(1);
    expect(read(bad.stdoutFile)).toBe('');
    expect(read(bad.stderrFile)).toMatch(/incorrect password|Sorry, try again/);
    expect(readFileSync(r.json, 'utf8')).not.toContain('not-the-password');
  });

  it('no sudo_password where sudo needs one: fails at once with sudo’s message, stdin untouched', async () => {
    const file = workflow(
      '  - { id: nopw, host: box, sudo: true, stdin: "${{ env.SUDO_PW }}\\n", run: id -u }\n',
    );
    const r = await run(file);
    expect(r.code).toBe(1);
    const nopw = step(r, 'nopw');
    expect(nopw.status).toBe('failed');
    expect(nopw.exitCode).toBe(1);
    // sudo -n: the password in the step's stdin is not read as a sudo password.
    expect(read(nopw.stdoutFile)).toBe('');
    expect(read(nopw.stderrFile)).toMatch(/a password is required/);
    expectNoPassword(r);
  });

  it('the password is on no process command line while the sudo step runs', async () => {
    const dir = sharedTemp('tasker-sudo-gate-');
    const file = workflow(
      `  - id: gated\n    host: box\n    sudo: true\n    sudo_password: SUDO_PW\n    run: touch ${dir}/started; while [ ! -e ${dir}/go ]; do sleep 0.05; done; id -u\n`,
    );
    const s = start(file);
    const done = finish(s.child, s.home, s.json);
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(dir, 'started')) && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 50));
    expect(existsSync(join(dir, 'started'))).toBe(true);
    const lines: string[] = [];
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      } catch {
        // gone meanwhile
      }
    }
    writeFileSync(join(dir, 'go'), '');
    // The step was really running under sudo when we looked, and nothing carried the password.
    expect(lines.some((l) => l.includes('sudo -S -p  -u root'))).toBe(true);
    expect(lines.filter((l) => l.includes(PASSWORD))).toEqual([]);
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(read(step(r, 'gated').stdoutFile)).toBe('0\n');
    expectNoPassword(r);
  });
});

describe.skipIf(!sshd)('sudo locally against a real sudo (the CLI started as taskert)', () => {
  /** The built CLI as the non-root test user, so the local executor's sudo must ask. */
  async function runAsTestUser(file: string, password: string): Promise<Ran> {
    const home = sharedTemp('tasker-sudo-home-');
    const out = sharedTemp('tasker-sudo-out-');
    const json = join(out, 'report.json');
    const id = uid(TEST_USER);
    chownSync(home, id, id);
    const child = spawn(process.execPath, [cliPath, 'run', file, '--output', 'plain', '--json', json], {
      cwd: repoRoot,
      uid: id,
      gid: id,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', TASKER_HOME: home, SUDO_PW: password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = await collect(child);
    return { ...r, report: readReport(json) as Ran['report'], home, json };
  }

  it('runs as root with the password, fails with a wrong one and fails fast without one', async () => {
    expect(statSync(cliPath).mode & 0o004).toBeTruthy();
    const file = workflow(
      [
        '  - { id: root, sudo: true, sudo_password: SUDO_PW, run: id -u, continue_on_error: true }',
        '  - { id: nopw, sudo: true, run: id -u, continue_on_error: true }',
        '  - { id: self, run: id -u }',
      ].join('\n') + '\n',
    );
    const ok = await runAsTestUser(file, PASSWORD);
    expect(read(step(ok, 'root').stdoutFile), ok.stderr + ok.stdout).toBe('0\n');
    expect(step(ok, 'nopw')).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(read(step(ok, 'nopw').stderrFile)).toMatch(/a password is required/);
    expect(read(step(ok, 'self').stdoutFile)).toBe(`${uid(TEST_USER)}\n`);
    expectNoPassword(ok);

    const bad = await runAsTestUser(file, 'not-the-password');
    expect(step(bad, 'root')).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(read(step(bad, 'root').stderrFile)).toMatch(/incorrect password|Sorry, try again/);
  });
});
