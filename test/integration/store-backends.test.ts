import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeStep } from '../../src/model/result-codec.js';
import type { RunResult, StepResult } from '../../src/model/result.js';
import { createHistoryRecorder, openStore, pruneHistory, type HistoryStore } from '../../src/store/index.js';
import { stepKey } from '../../src/store/run-filter.js';
import { OUTPUT_CAP } from '../../src/store/pg/output.js';
import { pgClusterForFile } from '../helpers/pg-cluster.js';
import fc from 'fast-check';
import { fromHistory, stepResult } from '../unit/model/step-arbitrary.js';
import { deadPid, newRun, runResult, stepResult as stepResult_, tempHome } from '../unit/store/helpers.js';

/** The same behaviour from both databases: every test here runs once on SQLite, once on a real PostgreSQL. */
const { reason: noPg, pg } = pgClusterForFile('PostgreSQL half of the store suite');

const opened: HistoryStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty history; `again` opens a second connection to the same one (another process). */
  fresh(): Promise<{ store: HistoryStore; home: string; again: () => Promise<HistoryStore> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    fresh: async () => {
      const home = tempHome();
      const open = async () => track(await openStore(undefined, home));
      return { store: await open(), home, again: open };
    },
  },
  {
    name: 'postgres',
    fresh: async () => {
      const home = tempHome();
      const url = pg.createDatabase();
      const open = async () => track(await openStore(url, home));
      return { store: await open(), home, again: open };
    },
  },
];

function track(s: HistoryStore): HistoryStore {
  opened.push(s);
  return s;
}

const finish = (s: HistoryStore, r: RunResult) =>
  s.runWriter(r.runId).write([{ kind: 'run-end', result: r }]);
const startStep = (s: HistoryStore, runId: string, stepId: string) =>
  s.runWriter(runId).write([
    {
      kind: 'step-start',
      key: stepKey(stepId),
      start: { runId, stepId, name: stepId, kind: 'command', command: 'x', startedAt: 1_100 },
    },
  ]);
const end = (id: string, over: Partial<StepResult> = {}) => ({
  kind: 'step-end' as const,
  result: stepResult_(id, over),
  at: 2,
});

describe.each(backends)('history store on $name', (b) => {
  const skip = b.name === 'postgres' && noPg !== undefined;

  it.skipIf(skip)('records steps as they start and end, attempts, and the run end', async () => {
    const { store: s } = await b.fresh();
    await s.beginRun(newRun('r1'));
    const rec = createHistoryRecorder(s, 'r1');
    rec['step-start']!({
      kind: 'step-start',
      id: 'a',
      name: 'a',
      attempt: 1,
      iteration: 1,
      display: 'run a',
      at: 1_000,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(await s.stepsOf('r1')).toMatchObject([{ id: 'a', status: 'running', display: 'run a' }]);
    rec['step-end']!(end('a', { stdoutFile: '/x/a.stdout' }));
    rec['step-end']!(end('b', { status: 'skipped', skipReason: 'not-reached', attempts: [] }));
    rec['run-end']!({
      kind: 'run-end',
      result: runResult('r1', { status: 'failed', exitCode: 1, failedStep: 'a' }),
      at: 2_000,
    });
    await rec.close!();
    const steps = await s.stepsOf('r1');
    expect(steps).toMatchObject([
      {
        id: 'a',
        status: 'ok',
        exitCode: 0,
        durationMs: 500,
        stdoutFile: '/x/a.stdout',
        attempts: [{ attempt: 1, status: 'ok' }],
      },
      { id: 'b', status: 'skipped', skipReason: 'not-reached', attempts: [] },
    ]);
    expect(await s.getStep('r1', steps[0]!.seq)).toEqual(steps[0]);
    expect(await s.getRun('r1')).toMatchObject({
      status: 'failed',
      exitCode: 1,
      failedStep: 'a',
      endedAt: 2_000,
    });
  });

  it.skipIf(skip)('gives the failed step as the user calls it in every read of a run', async () => {
    const { store: s } = await b.fresh();
    const anonymous = 'steps.1.then.1';
    await s.beginRun(newRun('r1'));
    await s.runWriter('r1').write([
      {
        kind: 'step-end',
        key: stepKey(anonymous),
        result: stepResult_(anonymous, { name: 'steps[2] then[2]', status: 'failed' }),
      },
      { kind: 'run-end', result: runResult('r1', { status: 'failed', exitCode: 1, failedStep: anonymous }) },
    ]);
    await s.beginRun(newRun('r2', { startedAt: 5_000 }));
    await s.runWriter('r2').write([
      {
        kind: 'step-end',
        key: stepKey('deploy'),
        result: stepResult_('deploy', { name: 'Deploy it', status: 'failed' }),
      },
      {
        kind: 'run-end',
        result: runResult('r2', { status: 'failed', exitCode: 1, failedStep: 'deploy', startedAt: 5_000 }),
      },
    ]);
    await s.beginRun(newRun('r3', { startedAt: 9_000 }));
    await finish(
      s,
      runResult('r3', { status: 'failed', exitCode: 1, failedStep: 'finally.0', startedAt: 9_000 }),
    );
    const labels = (runs: readonly { id: string; failedLabel: string | null }[]) =>
      Object.fromEntries(runs.map((r) => [r.id, r.failedLabel]));
    // An id the file wrote stays the id; an internal path becomes the step's place; no row keeps the id.
    const want = { r1: 'steps[2] then[2]', r2: 'deploy', r3: 'finally.0' };
    expect(labels(await s.listRuns())).toEqual(want);
    expect((await s.getRun('r1'))?.failedLabel).toBe('steps[2] then[2]');
    expect((await s.getRun('r1'))?.failedStep).toBe(anonymous);
    const found = await s.findRun('r1');
    expect(found.kind === 'found' && found.run.failedLabel).toBe('steps[2] then[2]');
    expect((await s.lastFinished('/srv/wf.yaml', newRun('x').varsHash))?.failedLabel).toBe('finally.0');
    expect(labels(await s.runsToPrune({ keep: 0 }))).toEqual(want);
  });

  it.skipIf(skip)('round-trips every field of a step through the codec exactly', async () => {
    const { store: s } = await b.fresh();
    await s.beginRun(newRun('r1'));
    const full = stepResult_('a', {
      host: 'web1',
      status: 'failed',
      exitCode: 3,
      signal: 'SIGTERM',
      stderrTail: ['boom', 'ünïcode ✓'],
      error: { code: 'connection-lost', message: 'connection lost after 5s' },
      note: 'a note',
      changed: true,
      iterations: 2,
      stdoutFile: '/o/a.out',
      stderrFile: '/o/a.err',
    });
    await s.runWriter('r1').write([{ kind: 'step-end', key: stepKey('a', 'web1'), result: full }]);
    const [row] = await s.stepsOf('r1');
    const { seq: _s, runId: _r, ...fields } = row!;
    expect(fields).toEqual(encodeStep(full));
    expect(fields).toMatchObject({
      host: 'web1',
      exitCode: 3,
      signal: 'SIGTERM',
      changed: true,
      stderrTail: ['boom', 'ünïcode ✓'],
    });
  });

  it.skipIf(skip)('keeps fan-out hosts apart: one row per host plus the fan-out own', async () => {
    const { store: s } = await b.fresh();
    await s.beginRun(newRun('r1'));
    const rec = createHistoryRecorder(s, 'r1');
    for (const host of ['web1', 'web2'])
      rec['step-start']!({
        kind: 'step-start',
        id: 'f',
        name: 'f',
        host,
        attempt: 1,
        iteration: 1,
        display: 'x',
        at: 1,
      });
    rec['step-end']!(end('f', { host: 'web2', exitCode: 3, status: 'failed' }));
    rec['step-end']!(end('f', { host: 'web1' }));
    rec['step-end']!(end('f', { kind: 'fanout', status: 'failed' }));
    await rec.close!();
    expect((await s.stepsOf('r1')).map((r) => [r.host, r.status, r.exitCode])).toEqual([
      ['web1', 'ok', 0],
      ['web2', 'failed', 3],
      [null, 'failed', 0],
    ]);
  });

  it.skipIf(skip)(
    'marks a running run of this host whose process is gone as interrupted, its open step cancelled',
    async () => {
      const { store: s } = await b.fresh();
      await s.beginRun(newRun('dead', { pid: deadPid() }));
      await s.beginRun(newRun('alive', { pid: process.pid }));
      await s.beginRun(newRun('elsewhere', { pid: deadPid(), host: 'other-host' }));
      await s.beginRun(newRun('recycled', { pid: process.pid, pidStart: 'not-my-start-time' }));
      await startStep(s, 'dead', 'a');
      expect((await s.sweepInterrupted('here')).sort()).toEqual(['dead', 'recycled']);
      expect((await s.getRun('dead'))?.status).toBe('interrupted');
      const [step] = await s.stepsOf('dead');
      expect(step?.status).toBe('cancelled');
      expect(step?.note).toMatch(/tasker died/);
      expect((await s.getRun('alive'))?.status).toBe('running');
      expect((await s.getRun('elsewhere'))?.status).toBe('running');
    },
  );

  async function seeded() {
    const fresh = await b.fresh();
    const runs: [string, number, string, string][] = [
      ['20260101T000000Z-aaaaaa', 1_000, 'ok', '/srv/backup.yaml'],
      ['20260102T000000Z-bbbbbb', 2_000, 'failed', '/srv/backup.yaml'],
      ['20260103T000000Z-bbcccc', 3_000, 'ok', '/srv/deploy.yaml'],
      ['20260103T000000Z-bbdddd', 3_000, 'ok', '/srv/my_deploy%.yaml'],
    ];
    for (const [id, startedAt, status, file] of runs) {
      await fresh.store.beginRun(
        newRun(id, { startedAt, file, workflow: file.includes('backup') ? 'backup' : 'deploy' }),
      );
      await finish(fresh.store, runResult(id, { status: status as 'ok', exitCode: status === 'ok' ? 0 : 1 }));
    }
    return fresh;
  }

  it.skipIf(skip)(
    'lists newest first with filters, counts, and pages by keyset through equal start times',
    async () => {
      const { store: s } = await seeded();
      expect((await s.listRuns()).map((r) => r.id.slice(-6))).toEqual([
        'bbdddd',
        'bbcccc',
        'bbbbbb',
        'aaaaaa',
      ]);
      expect(await s.listRuns({ workflow: 'backup' })).toHaveLength(2);
      expect(await s.listRuns({ workflow: 'deploy.yaml' })).toHaveLength(1);
      expect(await s.listRuns({ workflow: 'my_deploy%.yaml' })).toHaveLength(1);
      expect(await s.listRuns({ workflow: '/srv/backup.yaml', status: 'failed' })).toHaveLength(1);
      expect(await s.listRuns({ since: 2_000, until: 3_000 })).toHaveLength(1);
      expect(await s.countRuns({ workflow: 'deploy' })).toBe(2);
      const ids: string[] = [];
      let before: { startedAt: number; id: string } | undefined;
      for (;;) {
        const page = await s.listRuns({ limit: 1, ...(before ? { before } : {}) });
        if (page.length === 0) break;
        ids.push(page[0]!.id);
        before = { startedAt: page[0]!.startedAt, id: page[0]!.id };
      }
      expect(ids).toEqual((await s.listRuns()).map((r) => r.id));
    },
  );

  it.skipIf(skip)('finds a run by id, unique prefix or `last`, reports ambiguity; lastFinished', async () => {
    const { store: s } = await seeded();
    expect(await s.findRun('last')).toMatchObject({ kind: 'found', run: { startedAt: 3_000 } });
    expect(await s.findRun('20260101')).toMatchObject({ kind: 'found', run: { startedAt: 1_000 } });
    expect(await s.findRun('2026010')).toMatchObject({ kind: 'ambiguous' });
    expect(await s.findRun('nope')).toEqual({ kind: 'none' });
    expect((await s.lastFinished('/srv/backup.yaml', 'v1'))?.status).toBe('failed');
    expect(await s.lastFinished('/srv/backup.yaml', 'other')).toBeUndefined();
  });

  it.skipIf(skip)('the change mark moves when another connection commits, and only then', async () => {
    const { store: reader, again } = await b.fresh();
    const writer = await again();
    const m0 = await reader.changeMark();
    expect(await reader.changeMark()).toBe(m0);
    await writer.beginRun(newRun('r1'));
    const m1 = await reader.changeMark();
    expect(m1).not.toBe(m0);
    await startStep(writer, 'r1', 'a');
    expect(await reader.changeMark()).not.toBe(m1);
  });

  it.skipIf(skip)('prunes past --keep and --older-than with their run dirs, never running ones', async () => {
    const { store: s, home } = await b.fresh();
    for (let i = 1; i <= 4; i++) {
      const runDir = join(home, 'runs', `r${i}`);
      mkdirSync(runDir, { recursive: true });
      await s.beginRun(newRun(`r${i}`, { startedAt: i * 1_000, runDir }));
      if (i !== 1) await finish(s, runResult(`r${i}`));
    }
    await startStep(s, 'r2', 'a');
    expect((await pruneHistory(s, home, { keep: 2 })).map((r) => r.id)).toEqual(['r2']);
    expect(existsSync(join(home, 'runs', 'r2'))).toBe(false);
    expect(await s.stepsOf('r2')).toEqual([]);
    expect((await pruneHistory(s, home, { olderThanMs: 500 }, { now: 3_600 })).map((r) => r.id)).toEqual([
      'r3',
    ]);
    expect((await s.listRuns()).map((r) => r.id)).toEqual(['r4', 'r1']);
  });

  it.skipIf(skip)('keeps a copy of step output only in PostgreSQL: head and tail past the cap', async () => {
    const { store: s, home } = await b.fresh();
    await s.beginRun(newRun('r1'));
    const small = join(home, 'small.out');
    const big = join(home, 'big.out');
    writeFileSync(small, 'hello\nworld\n');
    const bigText = `HEAD${'a'.repeat(OUTPUT_CAP)}${'b'.repeat(1000)}TAIL`;
    writeFileSync(big, bigText);
    const rec = createHistoryRecorder(s, 'r1');
    rec['step-end']!(end('a', { stdoutFile: small }));
    rec['step-end']!(end('b', { stdoutFile: small, stderrFile: big }));
    await rec.close!();
    const [a, bStep] = await s.stepsOf('r1');
    if (b.name === 'sqlite') {
      expect(await s.stepOutput(a!.seq, 'stdout')).toBeUndefined();
      return;
    }
    expect((await s.stepOutput(a!.seq, 'stdout'))?.data.toString()).toBe('hello\nworld\n');
    expect(await s.stepOutput(a!.seq, 'stderr')).toBeUndefined();
    const stored = (await s.stepOutput(bStep!.seq, 'stderr'))!;
    expect(stored.omitted).toBe(bigText.length - OUTPUT_CAP);
    const text = stored.data.toString();
    expect(text.startsWith('HEAD')).toBe(true);
    expect(text.endsWith(`${'b'.repeat(1000)}TAIL`)).toBe(true);
    expect(text).toMatch(new RegExp(`\\[tasker: ${bigText.length - OUTPUT_CAP} bytes left out here`));
  });
});

describe.skipIf(noPg !== undefined)('history store on postgres: the codec property', () => {
  it('any step result reads back from PostgreSQL exactly as from SQLite (200 random results)', async () => {
    const sqlite = track(await openStore(undefined, tempHome()));
    const postgres = track(await openStore(pg.createDatabase(), tempHome()));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(stepResult, async (r) => {
        const id = `run-${n++}`;
        expect(await fromHistory(postgres, id, r)).toEqual(await fromHistory(sqlite, id, r));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a NUL in a name as U+FFFD instead of failing the write; a stderr tail keeps it exactly (JSON)', async () => {
    const s = track(await openStore(pg.createDatabase(), tempHome()));
    const got = await fromHistory(s, 'r1', stepResult_('a', { name: 'a\0b', stderrTail: ['x\0y'] }));
    expect(got).toMatchObject({ name: 'a\uFFFDb', stderrTail: ['x\0y'] });
  });
});
