import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNdjsonReporter, createPlainReporter, openAppendFile } from '../../src/report/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tasker-append-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openAppendFile', () => {
  it('has each write in the file at once, before close (a follower or a crash sees it)', async () => {
    const path = join(dir, 'log');
    writeFileSync(path, 'earlier\n');
    const file = openAppendFile(path, 'the log');
    file.write('one\n');
    expect(readFileSync(path, 'utf8')).toBe('earlier\none\n');
    file.write('twö\n');
    expect(readFileSync(path, 'utf8')).toBe('earlier\none\ntwö\n');
    await file.close();
    await file.close();
    file.write('after close\n');
    expect(readFileSync(path, 'utf8')).toBe('earlier\none\ntwö\n');
  });

  it('rejects close() naming the file when it cannot be created, without throwing earlier', async () => {
    const path = join(dir, 'missing', 'log');
    const file = openAppendFile(path, 'the log');
    expect(file.write('x\n')).toBe(false);
    await expect(file.close()).rejects.toThrow(path);
  });

  it.skipIf(!existsSync('/dev/full'))('rejects close() naming the file when a write fails', async () => {
    const file = openAppendFile('/dev/full', 'the log');
    file.write('x'.repeat(10_000));
    await expect(file.close()).rejects.toThrow(/\/dev\/full.*ENOSPC/);
  });
});

describe('reporters on an append file', () => {
  it('the NDJSON reporter has each event line in the file as soon as it is emitted', async () => {
    const path = join(dir, 'events.ndjson');
    const reporter = createNdjsonReporter({ path });
    reporter['step-output']?.({ kind: 'step-output', id: 'a', stream: 'stdout', line: 'hi', at: 1 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ kind: 'step-output', line: 'hi' });
    await reporter.close?.();
  });

  it('the plain reporter writes through any { write } sink', async () => {
    const path = join(dir, 'run.log');
    const out = openAppendFile(path, 'the run log');
    createPlainReporter({ out })['run-interrupt']?.({ kind: 'run-interrupt', signal: 'SIGINT', at: 0 });
    await out.close();
    expect(readFileSync(path, 'utf8')).toBe('1970-01-01T00:00:00.000Z run-interrupt signal=SIGINT\n');
  });
});
