import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/model/events.js';
import type { StepResult } from '../../../src/model/result.js';
import { stripAnsi } from '../../../src/report/ansi.js';
import { createPrettyReporter } from '../../../src/report/pretty.js';
import { T0, attempt, emit, plan, runResult, sink, stepResult } from './builders.js';

function run(events: RunEvent[], o: { color?: boolean; width?: number } = {}): string[] {
  const s = sink();
  emit(createPrettyReporter({ out: s.out, color: o.color ?? false, width: o.width }), events);
  return s.lines();
}

const start = (
  id: string,
  display: string,
  over: Partial<Extract<RunEvent, { kind: 'step-start' }>> = {},
): RunEvent => ({
  kind: 'step-start',
  id,
  name: id,
  attempt: 1,
  iteration: 1,
  display,
  at: T0,
  ...over,
});
const out = (id: string, line: string, host?: string): RunEvent => ({
  kind: 'step-output',
  id,
  host,
  stream: 'stdout',
  line,
  at: T0,
});
const end = (result: StepResult): RunEvent => ({ kind: 'step-end', result, at: T0 });

describe('pretty reporter: live lines', () => {
  it('shows start, indented output and the status line of a lone step', () => {
    const lines = run([
      start('build', 'npm ci && npm run build'),
      out('build', 'added 12 packages'),
      end(stepResult({ id: 'build' })),
    ]);
    expect(lines).toEqual(['▶ build  npm ci && npm run build', '  │ added 12 packages', '✔ build 1.2s']);
  });

  it('an ok fan-out whose hosts failed within max_failed says how many, never a bare ✔', () => {
    const lines = run([
      start('ping', 'uptime', { host: 'a' }),
      start('ping', 'uptime', { host: 'b' }),
      start('ping', 'uptime', { host: 'c' }),
      end(stepResult({ id: 'ping', host: 'a', status: 'unreachable', exitCode: null })),
      end(stepResult({ id: 'ping', host: 'b', status: 'failed', exitCode: 3 })),
      end(stepResult({ id: 'ping', host: 'c' })),
      end(stepResult({ id: 'ping', kind: 'fanout', status: 'ok' })),
    ]);
    expect(lines.at(-1)).toBe('✔ ping 1 ok · 1 failed · 1 unreachable, within max_failed 1.2s');
    // All hosts ok: the plain line.
    const ok = run([
      start('ping', 'uptime', { host: 'a' }),
      end(stepResult({ id: 'ping', host: 'a' })),
      end(stepResult({ id: 'ping', kind: 'fanout', status: 'ok' })),
    ]);
    expect(ok.at(-1)).toBe('✔ ping 1.2s');
  });

  it('prefixes output with id@host while several steps run, and indents again when one is left', () => {
    const lines = run([
      start('deploy', './d.sh', { host: 'web1' }),
      start('deploy', './d.sh', { host: 'web22' }),
      out('deploy', 'one', 'web1'),
      out('deploy', 'two', 'web22'),
      end(stepResult({ id: 'deploy', host: 'web1' })),
      out('deploy', 'three', 'web22'),
    ]);
    expect(lines.slice(2)).toEqual([
      'deploy@web1  │ one',
      'deploy@web22 │ two',
      '✔ deploy@web1 1.2s',
      '  │ three',
    ]);
  });

  it('does not double the host when a fan-out instance id already carries it', () => {
    const lines = run([
      start('deploy@web1', 'x', { host: 'web1' }),
      end(stepResult({ id: 'deploy@web1', host: 'web1' })),
    ]);
    expect(lines).toEqual(['▶ deploy@web1  x', '✔ deploy@web1 1.2s']);
  });

  it('has a distinct status line for each status', () => {
    const lines = run([
      end(stepResult({ id: 'deploy', host: 'web1', status: 'failed', exitCode: 3, durationMs: 4500 })),
      end(stepResult({ id: 'k', status: 'failed', exitCode: null, signal: 'SIGKILL', durationMs: 10 })),
      end(stepResult({ id: 'slow', status: 'timed-out', exitCode: null, durationMs: 5000 })),
      end(
        stepResult({
          id: 'up',
          host: 'web2',
          status: 'unreachable',
          exitCode: null,
          error: { code: 'auth', message: 'auth refused' },
        }),
      ),
      end(stepResult({ id: 'c', status: 'cancelled', exitCode: null, durationMs: 1000 })),
      end(stepResult({ id: 's', status: 'skipped', exitCode: null, skipReason: 'condition' })),
    ]);
    expect(lines).toEqual([
      '✖ deploy@web1 exit 3 4.5s',
      '✖ k signal SIGKILL 10ms',
      '⏱ slow timed out after 5.0s',
      '⚠ up@web2 unreachable: auth refused',
      '⊘ c cancelled 1.0s',
      '↷ s skipped (condition)',
    ]);
  });

  it('shows retries, attempt numbers, iterations and notes', () => {
    const attempts = [1, 2].map((n) => attempt({ attempt: n, endedAt: T0, durationMs: 0 }));
    const lines = run([
      { kind: 'step-retry', id: 'fetch', attempt: 1, delayMs: 2000, exitCode: 7, at: T0 },
      start('fetch', 'curl x', { attempt: 2, iteration: 3 }),
      end(stepResult({ id: 'fetch', attempts, iterations: 3, note: 'may still be running on web1' })),
    ]);
    expect(lines).toEqual([
      '↻ fetch exit 7, retry in 2.0s (attempt 2)',
      '▶ fetch (attempt 2, iteration 3)  curl x',
      '✔ fetch 1.2s after 2 attempts (3 loop iterations)',
      '  note: may still be running on web1',
    ]);
  });

  it("never calls a loop's iterations attempts: five iterations without a retry say so", () => {
    const attempts = [1, 2, 3, 4, 5].map((n) => attempt({ iteration: n, endedAt: T0, durationMs: 0 }));
    const lines = run([end(stepResult({ id: 'poll', attempts, iterations: 5 }))]);
    expect(lines).toEqual(['✔ poll 1.2s (5 loop iterations)']);
  });

  it('cuts long and multi-line commands to the width', () => {
    const lines = run([start('build', 'x'.repeat(100)), start('two', 'line one\nline two')], { width: 30 });
    expect(lines[0]).toBe(`▶ build  ${'x'.repeat(20)}…`);
    expect(lines[0]).toHaveLength(30);
    expect(lines[1]).toBe('▶ two  line one …');
  });

  it('treats a width of 0 (a terminal that reports none) as unknown and keeps the command whole', () => {
    const lines = run([start('build', 'npm ci && npm run build')], { width: 0 });
    expect(lines[0]).toBe('▶ build  npm ci && npm run build');
  });

  it('writes ANSI colour only when color is true', () => {
    const events = [start('build', 'make'), end(stepResult({ id: 'build', status: 'failed', exitCode: 2 }))];
    expect(run(events).join('\n')).not.toContain('\u001b[');
    const coloured = run(events, { color: true }).join('\n');
    expect(coloured).toContain('\u001b[');
    expect(stripAnsi(coloured)).toBe(run(events).join('\n'));
  });

  it('announces the run and an interrupt', () => {
    const lines = run([
      { kind: 'run-start', runId: 'r-9', plan: plan([]), at: T0 },
      { kind: 'run-interrupt', signal: 'SIGTERM', at: T0 },
    ]);
    expect(lines[0]).toMatch(/^● deploy .*r-9/);
    expect(lines[1]).toContain('SIGTERM');
  });
});

describe('pretty reporter: summary', () => {
  const result = runResult({
    status: 'unreachable',
    exitCode: 3,
    failedStep: 'deploy',
    runDir: '/state/runs/r-1',
    unreachableHosts: ['web2'],
    steps: [
      stepResult({ id: 'build' }),
      stepResult({ id: 'steps.2', kind: 'parallel' }),
      stepResult({
        id: 'deploy@web1',
        host: 'web1',
        status: 'failed',
        exitCode: 3,
        durationMs: 4500,
        stderrTail: ['boom', 'line 2'],
      }),
      stepResult({
        id: 'deploy@web2',
        host: 'web2',
        status: 'unreachable',
        exitCode: null,
        error: { code: 'unreachable', message: 'connect timed out' },
      }),
      stepResult({
        id: 'notify',
        status: 'skipped',
        exitCode: null,
        durationMs: 0,
        skipReason: 'upstream-failed',
      }),
    ],
  });
  const lines = run([{ kind: 'run-end', result, at: T0 }]);

  it('tabulates every step instance in fixed-width columns, without block results', () => {
    const header = lines.indexOf('  STEP    HOST  STATUS       EXIT  DURATION');
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines.slice(header + 1, header + 5)).toEqual([
      '  build   -     ok           0     1.2s',
      '  deploy  web1  failed       3     4.5s',
      '  deploy  web2  unreachable  -     1.2s',
      '  notify  -     skipped      -     0ms',
    ]);
    expect(lines.some((l) => l.includes('steps.2'))).toBe(false);
  });

  it('lists unreachable hosts in their own block with the reason', () => {
    const i = lines.findIndex((l) => l.includes('UNREACHABLE HOSTS (1)'));
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe('  ⚠ web2: connect timed out');
  });

  it('shows the stderr tail of each failing step', () => {
    const i = lines.findIndex((l) => l.startsWith('✖ deploy@web1 exit 3'));
    expect(i).toBeGreaterThan(0);
    expect(lines.slice(i + 1, i + 3)).toEqual(['  │ boom', '  │ line 2']);
    expect(lines.some((l) => l.startsWith('✖ deploy@web2 unreachable: connect timed out'))).toBe(true);
  });

  it('ends with the run status, exit code and run dir', () => {
    expect(lines.at(-2)).toMatch(/^✖ run unreachable at deploy {2}exit code 3 {2}12\.3s$/);
    expect(lines.at(-1)).toBe('  run dir: /state/runs/r-1');
  });

  it('marks a successful run and says when no steps ran', () => {
    const ok = run([{ kind: 'run-end', result: runResult(), at: T0 }]);
    expect(ok).toContain('  (no steps ran)');
    expect(ok.at(-1)).toMatch(/^✔ run ok {2}exit code 0/);
  });
});
