import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { startSshd } from '../helpers/sshd.js';
import { tmuxTerminal } from '../helpers/tmux.js';
import { sharedDir } from './fanout-helpers.js';

// A 32-host fan-out over two real sshd processes (16 loopback addresses each, two ports): what a
// person sees of it in plain mode and, through tmux, in pretty mode.
const servers = [await startSshd({ hosts: 16 }), await startSshd({ hosts: 16 })];
const up = servers.every((s) => s !== undefined);
afterAll(async () => {
  await Promise.all(servers.map((s) => (s ? s.stop() : Promise.resolve())));
});
const term = tmuxTerminal('fleet');
afterAll(() => term.close());
afterEach(() => term.killSessions());

const name = (i: number): string => `h${String(i + 1).padStart(2, '0')}`;

/** The workflow: every host prints `kernel 6.1`; h20 prints one more line; h07 fails on stderr. */
function fleetFlow(dir: string, gate?: string): { file: string; knownHosts: string } {
  const hosts = servers.flatMap((s, k) =>
    s!.addresses.map(
      (a, i) =>
        `  ${name(k * 16 + i)}: { address: ${a}, port: ${s!.port}, user: ${s!.user}, key: ${s!.keyFile} }`,
    ),
  );
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, servers.map((s) => readFileSync(s!.knownHostsFile, 'utf8')).join(''));
  const wait = gate ? `      while [ ! -f ${gate} ]; do sleep 0.05; done\n` : '';
  const file = join(dir, 'fleet.yaml');
  writeFileSync(
    file,
    `version: 1\nname: fleet\nhosts:\n${hosts.join('\n')}\ngroups:\n  fleet: [${hosts.map((_, i) => name(i)).join(', ')}]\n` +
      `steps:\n  - id: check\n    hosts: fleet\n    run: |\n` +
      `      echo "kernel 6.1"\n` +
      `      case "\${{ host.name }}" in\n` +
      `        h07) echo "disk full on /var" >&2; exit 3 ;;\n` +
      `        h20) echo "kernel 5.10 pending reboot" ;;\n` +
      `      esac\n${wait}`,
  );
  return { file, knownHosts };
}

const OK_30 = 'h[01-06,08-19,21-32]';

describe.skipIf(!up)('a 32-host fan-out, grouped (two real sshd)', () => {
  it('plain: one fanout-start, a step-end per host, each distinct output once with its hosts', async () => {
    const dir = sharedDir();
    const { file, knownHosts } = fleetFlow(dir);
    const r = await runCli(['run', '--output', 'plain', '--no-lock', '--known-hosts', knownHosts, file], {
      TASKER_HOME: tempDir(),
    });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const strip = (l: string): string => l.replace(/^\S+ /, '');
    expect(lines.filter((l) => / fanout-start /.test(l)).map(strip)).toEqual([
      expect.stringMatching(
        /^fanout-start id=check hosts=h\[01-32\] count=32 cmd_host=h\d\d cmd=".*kernel 6\.1/,
      ),
    ]);
    expect(lines.filter((l) => / step-start /.test(l))).toEqual([]);
    expect(lines.filter((l) => / step-end id=check host=/.test(l))).toHaveLength(32);
    expect(lines.filter((l) => / step-end id=check host=h07 status=failed exit=3/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => / out /.test(l)).map(strip)).toEqual([
      `out id=check hosts=${OK_30} count=30 stream=stdout | kernel 6.1`,
      'out id=check hosts=h20 count=1 stream=stdout | kernel 6.1',
      'out id=check hosts=h20 count=1 stream=stdout | kernel 5.10 pending reboot',
      'out id=check hosts=h07 count=1 stream=stdout | kernel 6.1',
      'out id=check hosts=h07 count=1 stream=stderr | disk full on /var',
    ]);
    // The groups come before the fan-out's own end line.
    const outAt = lines.findIndex((l) => / out /.test(l));
    expect(outAt).toBeLessThan(lines.findIndex((l) => / step-end id=check status=/.test(l)));
    // The run's transcript is the record: every host, line by line.
    const runDir = / dir=(\S+)$/m.exec(r.stdout)![1]!;
    const log = readFileSync(join(runDir, 'run.log'), 'utf8');
    expect(log.match(/ step-start id=check host=h\d\d /g)).toHaveLength(32);
    expect(log.match(/ out id=check host=h\d\d stream=stdout \| kernel 6\.1$/gm)).toHaveLength(32);
  });

  it('plain --per-host: every host line by line, as before', async () => {
    const dir = sharedDir();
    const { file, knownHosts } = fleetFlow(dir);
    const r = await runCli(
      ['run', '--output', 'plain', '--per-host', '--no-lock', '--known-hosts', knownHosts, file],
      { TASKER_HOME: tempDir() },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/fanout-start|hosts=/);
    expect(r.stdout.match(/ step-start id=check host=h\d\d /g)).toHaveLength(32);
    expect(r.stdout.match(/ out id=check host=h\d\d stream=stdout \| kernel 6\.1$/gm)).toHaveLength(32);
  });

  it('pretty in a terminal: live progress, then one block per distinct output and a folded summary', async () => {
    const dir = sharedDir();
    const gate = join(dir, 'gate');
    const { file, knownHosts } = fleetFlow(dir, gate);
    const s = term.startInTmux(file, {}, 120, `--no-lock --known-hosts ${knownHosts}`, 60);
    const live = await term.until(
      s,
      (t) => /check {2}hosts: 1\/32 done · 1 failed/.test(t),
      'fan-out progress',
    );
    expect(live).toMatch(/^▶ check on h\[01-32\] \(32 hosts\) {2}echo "kernel 6\.1" …$/m);
    expect(live).toMatch(/^✖ check@h07 exit 3 /m);
    writeFileSync(gate, '');
    const done = await term.until(s, (t) => /TASKER-EXIT=\d+/.test(t), 'the end of the run');
    const screen = done.split('\n');
    const at = (re: RegExp): number => screen.findIndex((l) => re.test(l));
    const block = screen.slice(at(/^── check: 31 ok · 1 failed$/));
    expect(block.slice(0, 8)).toEqual([
      '── check: 31 ok · 1 failed',
      `✔ ${OK_30} (30 hosts)  ok`,
      '    │ kernel 6.1',
      '✔ h20  ok',
      '    │ kernel 6.1',
      '    │ kernel 5.10 pending reboot',
      '✖ h07  exit 3',
      '    │ kernel 6.1',
    ]);
    expect(done).toMatch(/^✖ check 31 ok · 1 failed \d/m);
    // The summary: one row for the 31 hosts that ended ok, one for the failure; never 32 rows.
    expect(screen.filter((l) => /^ {2}check {2}/.test(l)).map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^check h\[01-06,08-32\] \(31 hosts\) ok 0 \S+$/),
      expect.stringMatching(/^check h07 failed 3 \S+$/),
    ]);
    const recap = screen.slice(at(/^HOST RECAP/));
    expect(recap.slice(0, 3).map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'HOST RECAP (32 hosts)',
      'h[01-06,08-32] (31 hosts) ok=1 changed=0 failed=0 unreachable=0 skipped=0',
      'h07 ok=0 changed=0 failed=1 unreachable=0 skipped=0',
    ]);
    expect(done).toMatch(/TASKER-EXIT=1/);
  });
});
