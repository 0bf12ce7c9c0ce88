// Store benchmarks (issue 14): a 1,000-step run recorded in PostgreSQL vs SQLite, and `tasker history`
// over 100,000 runs in each. Both stores hold the same rows, seeded in bulk by SQL; every pair is
// measured alternating (A B A B …) in the same run, PostgreSQL on loopback with durable settings.
import { join } from 'node:path';
import { cli, compareAlternating, fmt, ratio, runOnce, work, writeWorkflow } from './lib.mjs';
import { startPg } from './pg-cluster.mjs';

const RUNS = 100_000;
const keep = { TASKER_KEEP_RUNS: '0', TASKER_KEEP_DAYS: '0' };

export async function benchStore(report) {
  const pg = await startPg();
  if (!pg) {
    console.error('store benchmarks skipped: PostgreSQL is not installed (apt-get install -y postgresql)');
    return;
  }
  try {
    await benchRun(report, pg.url);
    await benchHistoryOver(report, pg.url);
  } finally {
    pg.stop();
  }
}

async function benchRun(report, url) {
  const seq = writeWorkflow(
    'store1000.yaml',
    `version: 1\nname: store1000\nsteps:\n${'  - run: [/bin/true]\n'.repeat(1000)}`,
  );
  const home = { TASKER_HOME: join(work, 'store-home'), ...keep };
  const run = (store) => ['node', cli, 'run', '--output', 'plain', ...(store ? ['--store', store] : []), seq];
  // Creates the tables first, so the timed runs measure recording, not migrating.
  runOnce(['node', cli, 'history', '--store', url], { env: home });
  const [p, s] = compareAlternating(
    [
      { name: 'pg', argv: run(url) },
      { name: 'sqlite', argv: run(undefined) },
    ],
    { runs: 3, env: home },
  );
  report('1,000-step run recorded in PostgreSQL vs SQLite', {
    tasker: fmt(p.wall),
    baseline: `SQLite ${fmt(s.wall)}`,
    ratio: ratio(p.wall, s.wall),
    cpu: p.cpu === null ? undefined : `${fmt(p.cpu)} vs ${fmt(s.cpu)}`,
    cpuRatio: p.cpu === null ? undefined : ratio(p.cpu, s.cpu),
    note: `${((p.wall - s.wall) / 1000).toFixed(3)} ms more per step`,
  });
}

async function benchHistoryOver(report, url) {
  const home = join(work, 'store-history-home');
  const env = { TASKER_HOME: home };
  runOnce(['node', cli, 'history'], { env });
  runOnce(['node', cli, 'history', '--store', url], { env });
  const start = Date.now() - RUNS * 60_000;
  await seedSqlite(join(home, 'history.db'), start);
  await seedPg(url, start);
  const cases = [
    ['`tasker history` over 100,000 runs (newest 20)', []],
    [
      '`tasker history --status failed --limit 100` over 100,000 runs',
      ['--status', 'failed', '--limit', '100'],
    ],
    [
      '`tasker history --workflow wf3 --json --limit 1000` over 100,000 runs',
      ['--workflow', 'wf3', '--json', '--limit', '1000'],
    ],
  ];
  for (const [name, args] of cases) {
    const [p, s] = compareAlternating(
      [
        { name: 'pg', argv: ['node', cli, 'history', '--store', url, ...args] },
        { name: 'sqlite', argv: ['node', cli, 'history', ...args] },
      ],
      { runs: 5, env },
    );
    report(`${name}: PostgreSQL vs SQLite`, {
      tasker: fmt(p.wall),
      baseline: `SQLite ${fmt(s.wall)}`,
      ratio: ratio(p.wall, s.wall),
      cpu: p.cpu === null ? undefined : `${fmt(p.cpu)} vs ${fmt(s.cpu)}`,
      cpuRatio: p.cpu === null ? undefined : ratio(p.cpu, s.cpu),
    });
  }
}

const RUN_COLUMNS = `id, workflow, file, file_hash, vars_hash, status, exit_code, pid, host, started_at, ended_at, duration_ms, run_dir`;
const STEP_COLUMNS = `run_id, step_id, kind, name, status, exit_code, started_at, ended_at, duration_ms, iterations`;

/** 100,000 finished runs of 5 workflows (every tenth failed), 3 steps each. */
async function seedSqlite(file, start) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${RUNS - 1})
    INSERT INTO runs (${RUN_COLUMNS})
    SELECT printf('seed-%06d', i), 'wf' || (i % 5), '/srv/wf' || (i % 5) || '.yaml', 'h', 'v',
      CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'ok' END, CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END, 1, 'bench',
      ${start} + i * 60000, ${start} + i * 60000 + 30, 30, '/nonexistent/' || i FROM n;
    INSERT INTO step_instances (${STEP_COLUMNS})
    SELECT r.id, s.v, 'command', s.v, 'ok', 0, r.started_at, r.started_at + 10, 10, 1
    FROM runs r, (SELECT 'a' AS v UNION ALL SELECT 'b' UNION ALL SELECT 'c') s WHERE r.id LIKE 'seed-%';
    ANALYZE;`);
  db.close();
}

async function seedPg(url, start) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`INSERT INTO tasker.runs (${RUN_COLUMNS})
      SELECT 'seed-' || lpad(i::text, 6, '0'), 'wf' || (i % 5), '/srv/wf' || (i % 5) || '.yaml', 'h', 'v',
        CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'ok' END, CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END, 1, 'bench',
        ${start} + i * 60000::bigint, ${start} + i * 60000::bigint + 30, 30, '/nonexistent/' || i
      FROM generate_series(0, ${RUNS - 1}) AS i`);
    await client.query(`INSERT INTO tasker.step_instances (${STEP_COLUMNS})
      SELECT r.id, s, 'command', s, 'ok', 0, r.started_at, r.started_at + 10, 10, 1
      FROM tasker.runs r, unnest(ARRAY['a', 'b', 'c']) AS s WHERE r.id LIKE 'seed-%'`);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
