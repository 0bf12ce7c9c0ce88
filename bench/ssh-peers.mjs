// Helpers for bench/ssh.mjs: a throwaway 16-address sshd (the test recipe, inline) and the peers' input files.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './lib.mjs';

const USER = 'taskert';
const HOME = '/var/tmp/taskert-home';

export const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** parallel-ssh and ansible from Debian, installed when missing; returns which are usable. */
export function ensurePeers() {
  if (!has('parallel-ssh') || !has('ansible')) {
    console.error('installing peers: apt-get install -y pssh ansible');
    spawnSync('apt-get', ['install', '-y', 'pssh', 'ansible'], { stdio: 'ignore' });
  }
  return { pssh: has('parallel-ssh'), ansible: has('ansible') };
}

function ensureUser() {
  mkdirSync(HOME, { recursive: true });
  if (spawnSync('id', [USER], { stdio: 'ignore' }).status !== 0)
    execFileSync('useradd', ['-d', HOME, '-s', '/bin/sh', USER]);
  execFileSync('usermod', ['-p', '*', USER]);
  execFileSync('chown', [`${USER}:`, HOME]);
}

const banner = (host, port) =>
  new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('data', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** sshd on PREFIX.2..PREFIX.(1+n) (default 127.0.0), one port, MaxSessions/MaxStartups raised as the test helper does. */
export async function startSshd(n = 16, prefix = '127.0.0') {
  ensureUser();
  mkdirSync('/run/sshd', { recursive: true });
  const d = mkdtempSync(join(tmpdir(), 'tasker-bench-sshd-'));
  chmodSync(d, 0o755);
  for (const k of ['host', 'client'])
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(d, k)]);
  copyFileSync(join(d, 'client.pub'), join(d, 'authorized_keys'));
  chmodSync(join(d, 'authorized_keys'), 0o644);
  const addresses = Array.from({ length: n }, (_, i) => `${prefix}.${i + 2}`);
  const port = await freePort(addresses[0]);
  const config = [
    `Port ${port}`,
    ...addresses.map((a) => `ListenAddress ${a}`),
    `HostKey ${d}/host`,
    `PidFile ${d}/sshd.pid`,
    `AuthorizedKeysFile ${d}/authorized_keys`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'MaxSessions 64',
    'MaxStartups 100:30:200',
    'PrintMotd no',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
  ];
  writeFileSync(join(d, 'sshd_config'), config.join('\n') + '\n');
  const pub = readFileSync(join(d, 'host.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  const knownHosts = join(d, 'known_hosts');
  writeFileSync(knownHosts, addresses.map((a) => `[${a}]:${port} ${pub}\n`).join(''));
  const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(d, 'sshd_config')], { stdio: 'ignore' });
  for (let i = 0; i < 300 && !(await Promise.all(addresses.map((a) => banner(a, port)))).every(Boolean); i++)
    await new Promise((r) => setTimeout(r, 50));
  const stop = () => (proc.kill('SIGTERM'), rmSync(d, { recursive: true, force: true }));
  return { dir: d, port, addresses, user: USER, key: join(d, 'client'), knownHosts, stop };
}

const name = (i) => `h${String(i + 1).padStart(2, '0')}`;

/** The same hosts and commands for every tool: a tasker workflow, a pssh host file, an Ansible inventory and playbook. */
export function writeInputs(s, dir, commands) {
  const hosts = s.addresses.map(
    (a, i) => `  ${name(i)}: { address: ${a}, port: ${s.port}, user: ${s.user}, key: ${s.key} }`,
  );
  const fleet = `groups:\n  fleet: [${s.addresses.map((_, i) => name(i)).join(', ')}]\n`;
  const steps = Array.from({ length: commands }, () => '  - hosts: fleet\n    run: "true"\n').join('');
  const flow = join(dir, `ssh-${commands}.yaml`);
  writeFileSync(
    flow,
    `version: 1\nname: ssh${commands}\nhosts:\n${hosts.join('\n')}\n${fleet}steps:\n${steps}`,
  );
  const psshHosts = join(dir, 'pssh-hosts');
  writeFileSync(psshHosts, s.addresses.map((a) => `${s.user}@${a}:${s.port}\n`).join(''));
  const inventory = join(dir, 'ansible.ini');
  const line = (a, i) =>
    `${name(i)} ansible_host=${a} ansible_port=${s.port} ansible_user=${s.user} ansible_ssh_private_key_file=${s.key}`;
  writeFileSync(
    inventory,
    `[fleet]\n${s.addresses.map(line).join('\n')}\n[fleet:vars]\nansible_python_interpreter=/usr/bin/python3\n`,
  );
  const tasks = Array.from({ length: commands }, (_, i) => `    - name: c${i}\n      command: "true"\n`).join(
    '',
  );
  const playbook = join(dir, `play-${commands}.yaml`);
  writeFileSync(playbook, `- hosts: fleet\n  gather_facts: false\n  tasks:\n${tasks}`);
  return { flow, psshHosts, inventory, playbook };
}

/** One shell script: a ControlMaster per host (in parallel), `commands` rounds of 16 `ssh … true &` + wait, masters closed. */
export function controlMasterScript(s, dir, commands) {
  const opts = `-p ${s.port} -l ${s.user} -i ${s.key} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${s.knownHosts} -o StrictHostKeyChecking=yes`;
  const sock = (a) => `${dir}/cm-${a}`;
  const lines = ['set -e'];
  lines.push(
    ...s.addresses.map(
      (a) => `ssh ${opts} -o ControlMaster=yes -o ControlPath=${sock(a)} -o ControlPersist=yes -fN ${a} &`,
    ),
    'wait',
  );
  for (let c = 0; c < commands; c++)
    lines.push(...s.addresses.map((a) => `ssh ${opts} -o ControlPath=${sock(a)} ${a} true &`), 'wait');
  lines.push(...s.addresses.map((a) => `ssh ${opts} -o ControlPath=${sock(a)} -O exit ${a} 2>/dev/null`));
  const path = join(dir, `cm-${commands}.sh`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** A node script with bare ssh2: 16 connections, `commands` sequential `true` on each, then close (no tasker). */
export function rawSsh2Script(s, dir, root, commands) {
  const path = join(dir, `raw-ssh2-${commands}.mjs`);
  writeFileSync(
    path,
    `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const { Client } = createRequire(${JSON.stringify(join(root, 'package.json'))})('ssh2');
const key = readFileSync(${JSON.stringify(s.key)});
const run = (c) => new Promise((res, rej) => c.exec('true', (e, ch) => (e ? rej(e) : ch.on('close', res).resume())));
await Promise.all(${JSON.stringify(s.addresses)}.map((host) => new Promise((res, rej) => {
  const c = new Client();
  c.on('ready', async () => { for (let i = 0; i < ${commands}; i++) await run(c); c.end(); res(); }).on('error', rej);
  c.connect({ host, port: ${s.port}, username: ${JSON.stringify(s.user)}, privateKey: key });
})));
`,
  );
  return path;
}
