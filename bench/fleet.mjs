// Fleet benchmark (issue 15): `true` on 64, 128 and 256 loopback hosts (one sshd per 16 listen
// addresses) by tasker, a bare ssh2 script (the floor), parallel-ssh and Ansible, round-robin in one
// run: wall, client CPU, peak RSS, RSS per host, and ratios against the floor taken round by round.
//   npm run build && node bench/run.mjs fleet   (FLEET_SIZES=64,128,256 BENCH_RUNS=3 BENCH_WARMUP=1 FLEET_TOOLS=a,b)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  cli,
  compareAlternating,
  fmt,
  fmtCpu,
  load,
  pairedRatio,
  root,
  runOnce,
  work,
  writeWorkflow,
} from './lib.mjs';
import { floorScript, startFleet, writeFleetInputs } from './fleet-hosts.mjs';
import { ensurePeers } from './ssh-peers.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const SIZES = (process.env.FLEET_SIZES ?? '64,128,256').split(',').map(Number);
const TOOLS = process.env.FLEET_TOOLS?.split(',');
const NO_AGENT = { SSH_AUTH_SOCK: '' };
const ANSIBLE_CP = join(work, 'ansible-cp');

/** Ansible's ControlPersist masters would serve its next run warm; close them so every tool starts cold. */
function closeAnsibleMasters() {
  if (!existsSync(ANSIBLE_CP)) return;
  for (const sock of readdirSync(ANSIBLE_CP))
    spawnSync('ssh', ['-o', `ControlPath=${join(ANSIBLE_CP, sock)}`, '-O', 'exit', 'x'], { stdio: 'ignore' });
  rmSync(ANSIBLE_CP, { recursive: true, force: true });
}

function commandsFor(fleet, peers, n) {
  const inputs = writeFleetInputs(fleet, work, n);
  const tasker = (...flags) => [
    'node',
    cli,
    'run',
    '--output',
    'plain',
    '--no-lock',
    '--known-hosts',
    fleet.knownHosts,
    ...flags,
    inputs.flow,
  ];
  const sshArgs = `-i ${fleet.key} -o IdentitiesOnly=yes -o UserKnownHostsFile=${fleet.knownHosts} -o StrictHostKeyChecking=yes`;
  const all = [
    { name: 'bare ssh2', argv: ['node', floorScript(fleet, work, root), inputs.floorHosts] },
    // Every tool runs all hosts at once (pssh -p N, ansible -f N); tasker's default cap is 64 commands.
    { name: 'tasker', argv: tasker('--concurrency', String(n)), options: { env: NO_AGENT } },
    {
      name: 'tasker --no-history',
      argv: tasker('--concurrency', String(n), '--no-history'),
      options: { env: NO_AGENT },
    },
    ...(n > 64 ? [{ name: 'tasker (default cap 64)', argv: tasker(), options: { env: NO_AGENT } }] : []),
    ...(peers.pssh
      ? [
          {
            name: 'parallel-ssh',
            argv: ['parallel-ssh', '-h', inputs.psshHosts, '-p', String(n), '-x', sshArgs, 'true'],
          },
        ]
      : []),
    ...(peers.ansible
      ? [
          {
            name: 'ansible',
            argv: [
              'ansible',
              'fleet',
              '-i',
              inputs.inventory,
              '-m',
              'command',
              '-a',
              'true',
              '-f',
              String(n),
            ],
            options: {
              env: {
                ...NO_AGENT,
                ANSIBLE_HOST_KEY_CHECKING: 'False',
                ANSIBLE_SSH_CONTROL_PATH_DIR: ANSIBLE_CP,
              },
            },
            after: closeAnsibleMasters,
          },
        ]
      : []),
  ];
  return TOOLS ? all.filter((c) => c.name === 'bare ssh2' || TOOLS.includes(c.name)) : all;
}

const kb = (mb) => `${Math.round(mb * 1024)} KB`;
const x = (r) => (r === null ? 'n/a' : `${r.toFixed(2)}x`);

/** Runs every size; returns the markdown table (one row per tool and size) and feeds `report` the tasker-vs-peer rows. */
export async function benchFleet(report) {
  if (!existsSync('/usr/sbin/sshd'))
    throw new Error('/usr/sbin/sshd is not installed (apt-get install -y openssh-server)');
  const peers = ensurePeers();
  const fleet = await startFleet(Math.max(...SIZES), work);
  const local = writeWorkflow('fleet-local.yaml', 'version: 1\nsteps:\n  - run: "true"\n');
  const startup = runOnce(['node', cli, 'run', '--output', 'plain', '--no-lock', local]);
  const nodeBase = runOnce(['node', '-e', '0']);
  const lines = [
    `tasker start-up (one local step) peak RSS ${startup.rss?.toFixed(1)} MB; bare node ${nodeBase.rss?.toFixed(1)} MB.`,
    '',
    '| hosts | tool | wall | vs floor (wall) | client CPU | vs floor (CPU) | peak RSS | RSS per host | load avg (runs) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  try {
    for (const n of SIZES) {
      const cmds = commandsFor(fleet, peers, n);
      const results = compareAlternating(cmds, { runs: RUNS, warmup: WARMUP, okCodes: [0] });
      const floor = results[0];
      for (const r of results) {
        // One node process for tasker and the floor; the peers spread over many processes (GNU time's peak is the largest one).
        const base = r.name.startsWith('tasker') ? startup.rss : r.name === 'bare ssh2' ? nodeBase.rss : null;
        const perHost = r.rss !== null && base !== null ? kb((r.rss - base) / n) : 'n/a';
        const loads = r.samples.map((s) => s.load.toFixed(1)).join(' ');
        lines.push(
          `| ${n} | ${r.name} | ${fmt(r.wall)} | ${x(pairedRatio(r, floor))} | ${fmtCpu(r.cpu)} | ${x(pairedRatio(r, floor, 'cpu'))} | ${r.rss?.toFixed(1)} MB | ${perHost} | ${loads} |`,
        );
      }
      const t = results.find((r) => r.name === 'tasker');
      for (const r of t ? results.filter((r) => !r.name.startsWith('tasker')) : [])
        report(`fleet ${n} hosts \`true\`: tasker vs ${r.name}`, {
          tasker: fmt(t.wall),
          baseline: `${r.name} ${fmt(r.wall)}`,
          ratio: x(pairedRatio(t, r)),
          cpu: `${fmtCpu(t.cpu)} vs ${fmtCpu(r.cpu)}`,
          cpuRatio: x(pairedRatio(t, r, 'cpu')),
          note: `median of ${RUNS} paired rounds; load ${load()}`,
        });
    }
  } finally {
    fleet.stop();
    closeAnsibleMasters();
  }
  return lines;
}
