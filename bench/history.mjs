// History benchmarks (issue: cron-grade operations): what recording a run costs, and `tasker history` on a big file.
import { join } from 'node:path';
import { cli, fmt, ratio, root, timeMedian, work, writeWorkflow } from './lib.mjs';

// Sizes: steps of the recorded run, runs in the history listed (smaller values for a quick try).
const STEPS = Number(process.env.BENCH_HISTORY_STEPS ?? 1000);
const SEEDED = Number(process.env.BENCH_HISTORY_RUNS ?? 10_000);
const n = (x) => x.toLocaleString('en');

export async function benchHistory(report) {
  const seq = writeWorkflow(
    'hist.yaml',
    `version: 1\nname: hist${STEPS}\nsteps:\n${'  - run: [/bin/true]\n'.repeat(STEPS)}`,
  );
  const keep = { TASKER_KEEP_RUNS: '0', TASKER_KEEP_DAYS: '0' };
  const withStore = timeMedian(['node', cli, 'run', '--output', 'plain', seq], { runs: 3, env: keep });
  const without = timeMedian(['node', cli, 'run', '--output', 'plain', '--no-history', seq], {
    runs: 3,
    env: keep,
  });
  report(`${n(STEPS)}-step run: with history vs --no-history`, {
    tasker: fmt(withStore),
    baseline: `no history ${fmt(without)}`,
    ratio: ratio(withStore, without),
    note: `${((withStore - without) / STEPS).toFixed(3)} ms per step`,
  });

  const home = join(work, 'history-home');
  await seedRuns(home, SEEDED);
  const env = { TASKER_HOME: home };
  const list = timeMedian(['node', cli, 'history'], { runs: 5, env });
  const filtered = timeMedian(
    ['node', cli, 'history', '--status', 'failed', '--since', '3650d', '--limit', '100'],
    { runs: 5, env },
  );
  const all = timeMedian(['node', cli, 'history', '--json', '--limit', String(SEEDED)], { runs: 3, env });
  const version = timeMedian(['node', cli, '--version'], { runs: 5 });
  // Each against the CLI's start-up alone.
  const vsVersion = (ms) => ({
    tasker: fmt(ms),
    baseline: `tasker --version ${fmt(version)}`,
    ratio: ratio(ms, version),
  });
  report(`\`tasker history\` over ${n(SEEDED)} runs (newest 20)`, vsVersion(list));
  report('`tasker history --status failed --since --limit 100`', vsVersion(filtered));
  report(`\`tasker history --json --limit ${SEEDED}\``, { ...vsVersion(all), note: 'every run as JSON' });
}

/**
 * `count` finished runs of 5 workflows, 3 steps each, written through the store interface into the
 * history `spec` names (default: the state home's SQLite file; a postgres:// URL for PostgreSQL).
 */
export async function seedRuns(home, count, spec) {
  const { openStore } = await import(join(root, 'dist/src/store/index.js'));
  const store = await openStore(spec, home);
  const start = Date.now() - count * 60_000;
  // SQLite: one transaction around everything (its methods are synchronous inside), as before.
  if (store.kind === 'sqlite') store.db.exec('BEGIN');
  for (let i = 0; i < count; i++) {
    const id = `seed-${String(i).padStart(6, '0')}`;
    const startedAt = start + i * 60_000;
    const status = i % 10 === 0 ? 'failed' : 'ok';
    await store.beginRun({
      id,
      workflow: `wf${i % 5}`,
      file: `/srv/wf${i % 5}.yaml`,
      fileHash: 'h',
      varsHash: 'v',
      pid: 1,
      host: 'bench',
      startedAt,
      runDir: join(home, 'runs', id),
    });
    const writes = ['a', 'b', 'c'].map((step) => ({
      kind: 'step-end',
      key: step,
      result: seedStep(step, startedAt),
    }));
    writes.push({
      kind: 'run-end',
      result: {
        runId: id,
        workflow: `wf${i % 5}`,
        file: '',
        status,
        exitCode: status === 'ok' ? 0 : 1,
        startedAt,
        endedAt: startedAt + 30,
        durationMs: 30,
        steps: [],
        unreachableHosts: [],
      },
    });
    await store.runWriter(id).write(writes);
  }
  if (store.kind === 'sqlite') store.db.exec('COMMIT');
  await store.close();
}

function seedStep(step, startedAt) {
  // The step's one attempt ended as the step did.
  const ended = {
    status: 'ok',
    exitCode: 0,
    signal: null,
    startedAt,
    endedAt: startedAt + 10,
    durationMs: 10,
  };
  return {
    id: step,
    kind: 'command',
    name: step,
    ...ended,
    attempts: [{ attempt: 1, iteration: 1, ...ended }],
    iterations: 1,
    stderrTail: [],
    display: `run ${step}`,
  };
}
