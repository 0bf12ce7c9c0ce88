// Helpers for bench/fleet.mjs: a fleet of loopback "hosts" (one sshd per 16 listen addresses, the
// test recipe) sharing one client key, and the same inventory written for every tool.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd } from './ssh-peers.mjs';

/** `web001`, `web002`, …: names the grouped output can fold into `web[001-256]`. */
export const hostName = (i) => `web${String(i + 1).padStart(3, '0')}`;

/**
 * ceil(n/16) sshd processes on 127.0.(10+k).2–17 (away from the tests' 127.0.0.x), every one
 * trusting the first one's client key; one known_hosts for all. Hosts: { name, address, port }.
 */
export async function startFleet(n, dir) {
  const servers = [];
  try {
    for (let k = 0; k * 16 < n; k++)
      servers.push(await startSshd(Math.min(16, n - k * 16), `127.0.${10 + k}`));
  } catch (err) {
    servers.forEach((s) => s.stop());
    throw err;
  }
  const first = servers[0];
  for (const s of servers.slice(1))
    copyFileSync(join(first.dir, 'client.pub'), join(s.dir, 'authorized_keys'));
  const knownHosts = join(dir, 'fleet-known_hosts');
  writeFileSync(knownHosts, servers.map((s) => readFileSync(s.knownHosts, 'utf8')).join(''));
  const hosts = servers.flatMap((s) => s.addresses.map((address) => ({ address, port: s.port })));
  hosts.forEach((h, i) => (h.name = hostName(i)));
  return {
    hosts,
    user: first.user,
    key: first.key,
    knownHosts,
    stop: () => servers.forEach((s) => s.stop()),
  };
}

/** The first `n` hosts of the fleet as a tasker workflow, a pssh host file, an Ansible inventory and a host list for the floor script. */
export function writeFleetInputs(fleet, dir, n) {
  const hosts = fleet.hosts.slice(0, n);
  const flow = join(dir, `fleet-${n}.yaml`);
  const entry = (h) =>
    `  ${h.name}: { address: ${h.address}, port: ${h.port}, user: ${fleet.user}, key: ${fleet.key} }`;
  writeFileSync(
    flow,
    `version: 1\nname: fleet${n}\nhosts:\n${hosts.map(entry).join('\n')}\n` +
      `groups:\n  fleet: [${hosts.map((h) => h.name).join(', ')}]\n` +
      'steps:\n  - id: uptime\n    hosts: fleet\n    run: "true"\n',
  );
  const psshHosts = join(dir, `pssh-${n}`);
  writeFileSync(psshHosts, hosts.map((h) => `${fleet.user}@${h.address}:${h.port}\n`).join(''));
  const inventory = join(dir, `ansible-${n}.ini`);
  const line = (h) =>
    `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${fleet.user} ansible_ssh_private_key_file=${fleet.key}`;
  writeFileSync(
    inventory,
    `[fleet]\n${hosts.map(line).join('\n')}\n[fleet:vars]\nansible_python_interpreter=/usr/bin/python3\n`,
  );
  const floorHosts = join(dir, `floor-${n}.json`);
  writeFileSync(floorHosts, JSON.stringify(hosts.map((h) => ({ host: h.address, port: h.port }))));
  return { flow, psshHosts, inventory, floorHosts };
}

/**
 * The floor: node + ssh2 alone, every connection at once, `true` on each, then close. Host keys
 * are checked against known_hosts as tasker does (a Set lookup, the cheapest honest check).
 */
export function floorScript(fleet, dir, root) {
  const path = join(dir, 'fleet-floor.mjs');
  writeFileSync(
    path,
    `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const { Client } = createRequire(${JSON.stringify(join(root, 'package.json'))})('ssh2');
const key = readFileSync(${JSON.stringify(fleet.key)});
const known = new Set(readFileSync(${JSON.stringify(fleet.knownHosts)}, 'utf8').split('\\n').map((l) => l.split(' ').slice(0, 3).join(' ')));
const hosts = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let failed = 0;
await Promise.all(hosts.map(({ host, port }) => new Promise((res) => {
  const c = new Client();
  const fail = () => { failed++; res(); };
  c.on('ready', () => c.exec('true', (e, ch) => {
    if (e) { fail(); return; }
    ch.on('close', () => { c.end(); res(); }).resume();
  })).on('error', fail);
  c.connect({ host, port, username: ${JSON.stringify(fleet.user)}, privateKey: key,
    hostVerifier: (k) => known.has(\`[\${host}]:\${port} ssh-ed25519 \${k.toString('base64')}\`) });
})));
process.exitCode = failed ? 1 : 0;
`,
  );
  return path;
}
