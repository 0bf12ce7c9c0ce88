import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { startSshd } from '../helpers/sshd.js';
import { sharedDir, writeWorkflow } from './fanout-helpers.js';
import { freePort } from '../helpers/ports.js';

const sshd = await startSshd({ hosts: 4 });
afterAll(async () => sshd?.stop());

interface PingJson {
  exitCode: number;
  ok: number;
  failed: string[];
  hosts: { host: string; status: string; user?: string; address?: string; message?: string }[];
}

/** A workflow over two good hosts, a closed port, a refused key and a host missing from known_hosts. */
async function setup() {
  const s = sshd!;
  const dir = tempDir('tasker-ping-');
  // known_hosts lists the first three addresses only, so the fourth fails its host-key check.
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(
    knownHosts,
    s.addresses
      .slice(0, 3)
      .map((a) => `[${a}]:${s.port} ${s.hostKeyPublic}\n`)
      .join(''),
  );
  const wrongKey = join(dir, 'wrong_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
  const port = await freePort(s.addresses[0]);
  const marker = join(sharedDir(), 'ran');
  const host = (name: string, address: string, p: number, key: string) =>
    `  ${name}: { address: ${address}, port: ${p}, user: ${s.user}, key: ${key} }`;
  const wf = writeWorkflow(
    [
      'version: 1',
      'hosts:',
      host('ok1', s.addresses[0]!, s.port, s.keyFile),
      host('ok2', s.addresses[1]!, s.port, s.keyFile),
      host('down', s.addresses[0]!, port, s.keyFile),
      host('badkey', s.addresses[2]!, s.port, wrongKey),
      host('unknown', s.addresses[3]!, s.port, s.keyFile),
      'steps:',
      `  - run: touch ${marker}`,
      '    hosts: [ok1, down, badkey, unknown, ok2]',
      '',
    ].join('\n'),
    dir,
  );
  return { s, dir, knownHosts, marker, wf };
}

describe.skipIf(!sshd)('tasker ping against a real sshd', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => void (t = await setup()));
  const ping = (args: string[]) =>
    runCli([...args, t.wf, '--known-hosts', t.knownHosts], { SSH_AUTH_SOCK: '' });

  it('prints one line per host in workflow order and exits 3 when any fails, running nothing', async () => {
    const r = await ping(['ping']);
    expect(r.code).toBe(3);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/[ :]/)[0] + ' ' + l.split(/[ :]/)[1])).toEqual([
      'ok ok1',
      'UNREACHABLE down',
      'AUTH badkey',
      'HOST-KEY unknown',
      'ok ok2',
    ]);
    expect(lines[0]).toMatch(
      new RegExp(`^ok ok1 ${t.s.user}@${t.s.addresses[0]!.replace(/\./g, '\\.')} \\d+ms$`),
    );
    expect(r.stderr).toContain('down, badkey, unknown');
    expect(existsSync(t.marker)).toBe(false);
  });

  it('reports JSON with a status per host', async () => {
    const r = await ping(['ping', '--json']);
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout) as PingJson;
    expect(json.hosts.map((h) => [h.host, h.status])).toEqual([
      ['ok1', 'ok'],
      ['down', 'unreachable'],
      ['badkey', 'auth'],
      ['unknown', 'host-key'],
      ['ok2', 'ok'],
    ]);
    expect(json).toMatchObject({ exitCode: 3, ok: 2, failed: ['down', 'badkey', 'unknown'] });
    expect(json.hosts[1]?.message).toBeTruthy();
  });

  it('exits 0 when every host left by --limit answers', async () => {
    const r = await ping(['ping', '--limit', 'ok*']);
    expect(r.code, r.stderr).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[1]),
    ).toEqual(['ok1', 'ok2']);
  });

  it('is what `run --check-hosts` does, with --json FILE', async () => {
    const json = join(t.dir, 'check.json');
    const r = await ping(['run', '--check-hosts', '--limit', 'ok1,unknown', '--json', json]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^ok ok1 /m);
    expect(r.stdout).toMatch(/^HOST-KEY unknown: /m);
    expect((JSON.parse(readFileSync(json, 'utf8')) as PingJson).failed).toEqual(['unknown']);
    expect(existsSync(t.marker)).toBe(false);
  });

  it('exits 2 on an invalid file without contacting anyone', async () => {
    const bad = writeWorkflow('version: 1\nsteps:\n  - run: "true"\n    hosts: nowhere\n');
    const r = await runCli(['ping', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown-host');
    expect(r.stdout).toBe('');
  });
});
