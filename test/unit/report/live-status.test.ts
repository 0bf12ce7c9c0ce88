import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/model/events.js';
import type { Plan } from '../../../src/model/plan.js';
import type { RunResult, StepResult } from '../../../src/model/result.js';
import { renderHostRecap, tallyHosts } from '../../../src/report/host-recap.js';
import { fit, liveLines, visibleLength } from '../../../src/report/live-lines.js';
import { applyLiveEvent, newLiveState } from '../../../src/report/live-state.js';
import { StatusArea } from '../../../src/report/status-area.js';

const c = new Chalk({ level: 0 });
const ssh = (name: string) => ({ kind: 'ssh' as const, name });

function fanoutPlan(hosts: string[]): Plan {
  const template = { kind: 'command', id: 'deploy', name: 'deploy', target: ssh(hosts[0]!) };
  const fanout = { kind: 'fanout', id: 'deploy', name: 'deploy', targets: hosts.map(ssh), template };
  return {
    name: 'p',
    hosts: Object.fromEntries(hosts.map((h) => [h, ssh(h)])),
    root: { kind: 'sequence', id: 'root', children: [fanout], finally: [] },
  } as unknown as Plan;
}

function end(host: string, status: StepResult['status'], extra: Partial<StepResult> = {}): StepResult {
  return {
    id: 'deploy',
    kind: 'command',
    name: 'deploy',
    host,
    status,
    exitCode: 0,
    signal: null,
    startedAt: 0,
    endedAt: 1,
    durationMs: 1,
    attempts: [],
    iterations: 1,
    stderrTail: [],
    ...extra,
  };
}

describe('live state and lines', () => {
  it('counts a fan-out by its hosts and lists running executions oldest first', () => {
    const hosts = Array.from({ length: 200 }, (_, i) => `web${i}`);
    const s = newLiveState(0);
    const ev = (e: RunEvent) => applyLiveEvent(s, e);
    ev({ kind: 'run-start', runId: 'r', plan: fanoutPlan(hosts), at: 0 });
    hosts.forEach((h, i) =>
      ev({
        kind: 'step-start',
        id: 'deploy',
        name: 'deploy',
        host: h,
        attempt: 1,
        iteration: 1,
        display: 'x',
        at: i,
      }),
    );
    hosts
      .slice(0, 37)
      .forEach((h, i) =>
        ev({ kind: 'step-end', result: end(h, i < 2 ? 'failed' : i === 2 ? 'unreachable' : 'ok'), at: 100 }),
      );
    const lines = liveLines(s, 5000, 0, 80, c);
    expect(lines[0]).toBe('⠋ running 163 steps · 5.0s');
    expect(lines[1]).toBe('  deploy  hosts: 37/200 done · 2 failed · 1 unreachable');
    expect(lines[2]).toMatch(/^ {2}deploy@web37 {2}4\.9s$/);
    expect(lines.at(-1)).toBe('  …and 157 more');
    expect(lines.length).toBeLessThanOrEqual(9);
  });

  it('cuts every line to one terminal row, colour codes not counted', () => {
    const coloured = new Chalk({ level: 1 }).red('x'.repeat(50));
    expect(visibleLength(fit(coloured, 20))).toBe(20);
    expect(fit('short', 20)).toBe('short');
    expect(visibleLength(fit('é'.repeat(30), 10))).toBe(10);
  });
});

describe('StatusArea', () => {
  it('erases exactly the rows it drew before each log write, and nothing after close', async () => {
    const writes: string[] = [];
    const term = {
      columns: 40,
      write: (t: string) => writes.push(t),
      on: () => undefined,
      off: () => undefined,
    };
    const area = new StatusArea(term, () => ['line one', 'x'.repeat(60)]);
    area.refresh();
    await new Promise((r) => setImmediate(r));
    expect(writes.join('')).toBe(`line one\n${'x'.repeat(60)}\n`);
    writes.length = 0;
    area.log('log\n');
    // 1 row + 2 rows (60 columns at 40 wide): up 3, clear, then the log line.
    expect(writes[0]).toBe('\x1b[3F\x1b[Jlog\n');
    area.close();
    area.log('after\n');
    expect(writes.slice(-1)).toEqual(['after\n']);
  });
});

describe('host recap', () => {
  it('tallies ok, changed, failed, unreachable and skipped per host, in inventory order', () => {
    const result = {
      steps: [
        end('b', 'ok'),
        end('a', 'ok', { changed: true }),
        end('c', 'unreachable'),
        end('a', 'timed-out'),
        end('b', 'skipped'),
        end('z', 'ok'),
        { ...end('a', 'ok'), kind: 'sequence', host: undefined },
      ],
    } as unknown as RunResult;
    const tallies = tallyHosts(result, ['a', 'b', 'c']);
    expect(tallies.map((t) => t.host)).toEqual(['a', 'b', 'c', 'z']);
    expect(renderHostRecap(tallies, c)).toEqual([
      '',
      'HOST RECAP (4 hosts)',
      '  a  ok=1  changed=1  failed=1  unreachable=0  skipped=0',
      '  b  ok=1  changed=0  failed=0  unreachable=0  skipped=1',
      '  c  ok=0  changed=0  failed=0  unreachable=1  skipped=0',
      '  z  ok=1  changed=0  failed=0  unreachable=0  skipped=0',
    ]);
    expect(renderHostRecap(tallyHosts({ steps: [] } as unknown as RunResult, []), c)).toEqual([]);
  });
});
