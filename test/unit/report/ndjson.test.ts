import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/model/events.js';
import { createNdjsonReporter } from '../../../src/report/ndjson.js';
import { T0, emit, everyKindPlan, runResult, stepResult } from './builders.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tasker-ndjson-'));
  dirs.push(dir);
  return join(dir, 'events.ndjson');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const events: RunEvent[] = [
  { kind: 'run-start', runId: 'r-1', plan: everyKindPlan(), runDir: '/runs/r-1', at: T0 },
  { kind: 'step-start', id: 'build', name: 'build', attempt: 1, iteration: 1, display: 'make', at: T0 + 1 },
  { kind: 'step-output', id: 'build', stream: 'stdout', line: 'ok "quoted"\ttab', at: T0 + 2 },
  { kind: 'step-end', result: stepResult({ id: 'build' }), at: T0 + 3 },
  { kind: 'run-end', result: runResult({ steps: [stepResult({ id: 'build' })] }), at: T0 + 4 },
];

describe('ndjson reporter', () => {
  it('writes one JSON line per event, in order, flushed by close()', async () => {
    const path = tempFile();
    const reporter = createNdjsonReporter({ path });
    emit(reporter, events);
    await reporter.close!();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((l) => JSON.parse(l) as { kind: string; at: number });
    expect(records.map((r) => r.kind)).toEqual([
      'run-start',
      'step-start',
      'step-output',
      'step-end',
      'run-end',
    ]);
    expect(records.map((r) => r.at)).toEqual([T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4]);
    expect(records[2]).toEqual(events[2]);
  });

  it('summarizes the plan on run-start instead of dumping it', async () => {
    const path = tempFile();
    const reporter = createNdjsonReporter({ path });
    emit(reporter, events.slice(0, 1));
    await reporter.close!();
    const record = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    // build, health, upload, warm-a, warm-b, smoke, 2 branch commands, copy-cfg, return, rollback, cleanup
    expect(record).toEqual({
      kind: 'run-start',
      runId: 'r-1',
      runDir: '/runs/r-1',
      at: T0,
      plan: { name: 'deploy', file: 'deploy.yaml', format: 'yaml', steps: 12 },
    });
  });

  it('appends to an existing file and ignores events after close', async () => {
    const path = tempFile();
    writeFileSync(path, '{"kind":"earlier"}\n');
    const reporter = createNdjsonReporter({ path });
    emit(reporter, events.slice(1, 2));
    await reporter.close!();
    emit(reporter, events.slice(2, 3));
    await reporter.close!();
    const kinds = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toEqual(['earlier', 'step-start']);
  });

  it('rejects close() with the path when the file cannot be written', async () => {
    const path = join(tempFile(), 'missing-dir', 'events.ndjson');
    const reporter = createNdjsonReporter({ path });
    emit(reporter, events.slice(0, 2));
    await expect(reporter.close!()).rejects.toThrow(path);
  });
});
