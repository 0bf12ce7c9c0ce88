import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../../src/model/plan.js';
import { freePort } from './ports.js';

/** A throwaway OpenSSH server on loopback addresses 127.0.0.2 … 127.0.0.(1+hosts), one port. */
export interface TestSshd {
  port: number;
  addresses: string[];
  user: string;
  /** Private key authorized for `user` (and root). */
  keyFile: string;
  /** Lists every address with the host key, as `[addr]:port type base64`. */
  knownHostsFile: string;
  hostKeyFingerprint: string;
  /** `type base64` of the host key, for writing custom known_hosts entries. */
  hostKeyPublic: string;
  dir: string;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';
export const TEST_USER = 'taskert';
const HOME = '/var/tmp/taskert-home';

function ensureUser(): void {
  mkdirSync(HOME, { recursive: true });
  try {
    execFileSync('id', [TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-d', HOME, '-s', '/bin/sh', TEST_USER]);
  }
  // '!' (locked) is refused with UsePAM no; sshd needs a real home to chdir into. A real password
  // (set by the sudo tests, which run alongside) is left alone: resetting it would break them.
  if (!hasPassword(TEST_USER)) execFileSync('usermod', ['-p', '*', TEST_USER]);
  execFileSync('chown', [`${TEST_USER}:`, HOME]);
}

/** True when the shadow entry holds a password hash (`$…`), not `*`, `!…` or nothing. */
function hasPassword(user: string): boolean {
  try {
    const line = readFileSync('/etc/shadow', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${user}:`));
    return line?.split(':')[1]?.startsWith('$') ?? false;
  } catch {
    return false;
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('data', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}

async function waitUntilListening(
  addresses: string[],
  port: number,
  proc: ChildProcess,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`sshd exited with ${proc.exitCode}: ${log()}`);
    const ok = await Promise.all(addresses.map((a) => canConnect(a, port)));
    if (ok.every(Boolean)) return;
    if (Date.now() > deadline)
      throw new Error(`sshd did not accept connections on port ${port} within 15 s: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sshdConfig(d: string, port: number, addresses: string[]): string {
  const lines = [
    `Port ${port}`,
    ...addresses.map((a) => `ListenAddress ${a}`),
    `HostKey ${d}/host_ed25519`,
    `PidFile ${d}/sshd.pid`,
    `AuthorizedKeysFile ${d}/authorized_keys`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'MaxSessions 64',
    'MaxStartups 100:30:200',
    'AllowTcpForwarding yes',
    'PrintMotd no',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
  ];
  addresses.forEach((a, i) =>
    lines.push(`Match LocalAddress ${a}`, `  SetEnv TASKER_TEST_HOST=host${String(i + 1).padStart(2, '0')}`),
  );
  return lines.join('\n') + '\n';
}

function keygen(file: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file, '-C', comment]);
}

/** Starts sshd; undefined (with a loud line) when it is not installed, an error under CI=true. */
export async function startSshd(o: { hosts?: number } = {}): Promise<TestSshd | undefined> {
  const hosts = o.hosts ?? 1;
  if (hosts < 1 || hosts > 16)
    throw new Error(`startSshd: hosts must be 1-16 (sshd allows 16 ListenAddress), got ${hosts}`);
  if (!existsSync(SSHD)) {
    const msg = `!!! ${SSHD} is not installed: SSH integration tests cannot run (apt-get install -y openssh-server openssh-client)`;
    if (process.env.CI === 'true') throw new Error(msg);
    console.error(msg);
    return undefined;
  }
  ensureUser();
  mkdirSync('/run/sshd', { recursive: true });
  const d = mkdtempSync(join(tmpdir(), 'tasker-sshd-'));
  chmodSync(d, 0o755);
  keygen(join(d, 'host_ed25519'), 'tasker-test-host');
  keygen(join(d, 'client_ed25519'), 'tasker-test-client');
  copyFileSync(join(d, 'client_ed25519.pub'), join(d, 'authorized_keys'));
  chmodSync(join(d, 'authorized_keys'), 0o644);
  const addresses = Array.from({ length: hosts }, (_, i) => `127.0.0.${i + 2}`);
  const port = await freePort(addresses[0]);
  writeFileSync(join(d, 'sshd_config'), sshdConfig(d, port, addresses));
  const hostKeyPublic = readFileSync(join(d, 'host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  const knownHostsFile = join(d, 'known_hosts');
  writeFileSync(knownHostsFile, addresses.map((a) => `[${a}]:${port} ${hostKeyPublic}\n`).join(''));
  const blob = Buffer.from(hostKeyPublic.split(' ')[1]!, 'base64');
  const hostKeyFingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  let log = '';
  const proc = spawn(SSHD, ['-D', '-e', '-f', join(d, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr.on('data', (c: Buffer) => (log += c.toString()));
  await waitUntilListening(addresses, port, proc, () => log);
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await gone;
    }
    rmSync(d, { recursive: true, force: true });
  };
  return {
    port,
    addresses,
    user: TEST_USER,
    keyFile: join(d, 'client_ed25519'),
    knownHostsFile,
    hostKeyFingerprint,
    hostKeyPublic,
    dir: d,
    stop,
  };
}

/** A target on the test sshd (see execRequest and collectSink in ./exec.ts). */
export type SshTestTarget = Extract<Target, { kind: 'ssh' }>;

export function sshdTarget(
  s: TestSshd,
  address = s.addresses[0]!,
  extra: Partial<SshTestTarget> = {},
): SshTestTarget {
  return {
    kind: 'ssh',
    name: address,
    address,
    port: s.port,
    user: s.user,
    keyFile: s.keyFile,
    vars: {},
    ...extra,
  };
}
