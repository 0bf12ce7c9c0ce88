// SSH fan-out benchmarks (issue 4): 16 hosts x 1 and x 10 sequential `true`, tasker vs parallel-ssh,
// ansible, ssh with ControlMaster and bare ssh2, against the same local sshd, measured round-robin in
// one run (BENCH_RUNS times, default 3): medians of wall time and client-side CPU (sshd not counted).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, compareAlternating, fmt, fmtCpu, ratio, root, work, writeWorkflow } from './lib.mjs';
import { controlMasterScript, ensurePeers, rawSsh2Script, startSshd, writeInputs } from './ssh-peers.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NO_AGENT = { SSH_AUTH_SOCK: '' };

export async function benchSsh(report) {
  if (!existsSync('/usr/sbin/sshd'))
    throw new Error('/usr/sbin/sshd is not installed (apt-get install -y openssh-server)');
  const peers = ensurePeers();
  const s = await startSshd(16);
  try {
    for (const commands of [1, 10]) measureFanout(report, s, peers, commands);
  } finally {
    s.stop();
    stopAnsibleMasters();
  }
}

// Ansible's ControlPersist masters outlive the benchmark (and load the machine) unless told to exit.
const ANSIBLE_CP = join(work, 'ansible-cp');
function stopAnsibleMasters() {
  if (!existsSync(ANSIBLE_CP)) return;
  for (const sock of readdirSync(ANSIBLE_CP))
    spawnSync('ssh', ['-o', `ControlPath=${join(ANSIBLE_CP, sock)}`, '-O', 'exit', 'benchmark'], {
      stdio: 'ignore',
    });
}

/** `tasker 2.3x faster than X` / `tasker 1.9x slower than X`. */
const verdict = (tasker, ms, peer) =>
  ms >= tasker
    ? `tasker ${(ms / tasker).toFixed(1)}x faster than ${peer}`
    : `tasker ${(tasker / ms).toFixed(1)}x slower than ${peer}`;

function commandsFor(s, peers, commands) {
  const inputs = writeInputs(s, work, commands);
  const local = writeWorkflow('ssh-local-one.yaml', 'version: 1\nsteps:\n  - run: "true"\n');
  const tasker = (file, ...flags) => [
    'node',
    cli,
    'run',
    '--output',
    'plain',
    '--no-history',
    '--no-lock',
    ...flags,
    file,
  ];
  const sshArgs = `-i ${s.key} -o IdentitiesOnly=yes -o UserKnownHostsFile=${s.knownHosts} -o StrictHostKeyChecking=yes`;
  const pssh = `parallel-ssh -h ${inputs.psshHosts} -p 16 -x "${sshArgs}" true >/dev/null`;
  const ansible =
    commands === 1
      ? ['ansible', 'fleet', '-i', inputs.inventory, '-m', 'command', '-a', 'true', '-f', '16']
      : ['ansible-playbook', '-i', inputs.inventory, '-f', '16', inputs.playbook];
  const ansibleEnv = {
    ...NO_AGENT,
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_SSH_CONTROL_PATH_DIR: ANSIBLE_CP,
  };
  return [
    {
      name: 'tasker',
      argv: tasker(inputs.flow, '--known-hosts', s.knownHosts),
      options: { env: NO_AGENT },
      note: 'built CLI, --output plain, --no-history',
    },
    { name: 'tasker start-up', argv: tasker(local), note: 'one local step' },
    ...(peers.pssh
      ? [
          {
            name: 'parallel-ssh',
            argv: ['sh', '-c', Array(commands).fill(pssh).join(' && ')],
            note: `${commands} pssh invocation(s), -p 16`,
          },
        ]
      : []),
    ...(peers.ansible
      ? [
          {
            name: 'ansible',
            argv: ansible,
            options: { env: ansibleEnv },
            note: `${commands === 1 ? 'ad-hoc command module' : `playbook, ${commands} command tasks`}, -f 16, ControlPersist default (masters outlive a run and are reused by the next)`,
          },
        ]
      : []),
    {
      name: 'ssh ControlMaster',
      argv: ['sh', controlMasterScript(s, work, commands)],
      note: 'a master per host opened in parallel, 16 `ssh true &` + wait per command, masters closed: all inside the timing',
    },
    {
      name: 'bare ssh2',
      argv: ['node', rawSsh2Script(s, work, root, commands)],
      note: 'node + ssh2 alone, 16 connections: the floor for this design',
    },
  ];
}

function measureFanout(report, s, peers, commands) {
  const cmds = commandsFor(s, peers, commands);
  const results = compareAlternating(cmds, { runs: RUNS });
  const [t, start] = results;
  const label = `SSH 16 hosts x ${commands} \`true\``;
  for (const [i, b] of results.entries()) {
    if (i < 2) continue;
    report(`${label}: vs ${b.name}`, {
      tasker: fmt(t.wall),
      baseline: `${b.name} ${fmt(b.wall)}`,
      ratio: ratio(t.wall, b.wall),
      cpu: `${fmtCpu(t.cpu)} vs ${fmtCpu(b.cpu)}`,
      cpuRatio: t.cpu === null || b.cpu === null ? undefined : ratio(t.cpu, b.cpu),
      note: `${verdict(t.wall, b.wall, b.name)}; ${cmds[i].note}; tasker minus its start-up (${fmt(start.wall)}): ${fmt(t.wall - start.wall)}`,
    });
  }
  for (const [name, ok] of [
    ['parallel-ssh', peers.pssh],
    ['ansible', peers.ansible],
  ])
    if (!ok)
      report(`${label}: vs ${name}`, {
        tasker: fmt(t.wall),
        baseline: 'n/a',
        ratio: 'n/a',
        note: `${name} could not be installed`,
      });
}
