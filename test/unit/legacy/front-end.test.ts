import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  isTaskerStyle,
  loadExecTypes,
  mergeTaskerArgs,
  parseTaskerArgv,
  parseTaskFileText,
  shlexSplit,
} from '../../../src/legacy/index.js';
import { buildPlan } from '../../../src/plan/index.js';
import { exitCodeFor } from '../../../src/run/index.js';
import type { RunResult, StepResult } from '../../../src/model/result.js';

const parse = (text: string, o = {}) => parseTaskFileText(text, 'jobs.txt', { execTypesPaths: [], ...o });

describe('shlexSplit', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    [`'a b' "c d" e\\ f`, ['a b', 'c d', 'e f']],
    [`"x \\"y\\""`, ['x "y"']],
    [`''`, ['']],
  ])('%s', (text, words) => expect(shlexSplit(text)).toEqual(words));
  it('refuses an unclosed quote', () => expect(shlexSplit(`'a`)).toBeUndefined());
});

describe('detectFormat', () => {
  it.each([
    ['version: 1\nsteps: [a]', 'yaml'],
    ['# c\nname: x\nsteps: []', 'yaml'],
    ['# c\ntask=0\nhostname=h', 'tasker'],
    ['A=1\nB=2\ntask=0', 'tasker'],
    ['--run\ntask=0', 'tasker'],
  ])('%j is %s', (text, format) => expect(detectFormat(text)).toBe(format));
});

describe('task file to AST', () => {
  it('puts task-file lines on the AST and on diagnostics', () => {
    const out = parse(
      '# hi\nX=1\n\ntask=0\nhostname=h\ncommand=echo\narguments=@X@\n\ntask=1\nhostname=h\ncommand=true\n',
    );
    expect(out.diagnostics).toEqual([]);
    const steps = out.workflow!.steps;
    expect(steps.map((s) => [s.id?.value, s.span.line])).toEqual([
      ['t0', 4],
      ['t1', 9],
    ]);
    expect(out.workflow!.vars[0]!.name.span.line).toBe(2);
    expect(out.workflow!.exitCodes?.value).toEqual({ failed: 'step', timedOut: 124 });
  });

  it('clamps timeouts to 5..1000 s', () => {
    const w = parse(
      'task=0\nhostname=h\ncommand=true\ntimeout=1\n\ntask=1\nhostname=h\ncommand=true\ntimeout=5000\n',
    ).workflow!;
    expect(w.steps.map((s) => s.timeoutMs?.value)).toEqual([5000, 1_000_000]);
  });

  it('uses a wrapper exec type from execution_types.yaml, and -t as the default type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exec-'));
    const cfg = join(dir, 'execution_types.yaml');
    writeFileSync(
      cfg,
      'platforms:\n  linux:\n    pbrun:\n      binary: pbrun\n      command_template: ["{binary}", "-h", "{hostname}", "{command}", "{arguments_split}"]\n',
    );
    expect([...loadExecTypes([cfg]).types.keys()].sort()).toEqual(['pbrun', 'shell']);
    const w = parse('task=0\nhostname=web1\ncommand=ls\narguments=-l /tmp\n', {
      execTypesPaths: [cfg],
      defaultExec: 'pbrun',
    }).workflow!;
    const step = w.steps[0]!;
    expect(
      step.kind === 'run' &&
        step.command.kind === 'argv' &&
        step.command.args.map((a) => a.parts.map((p) => (p.kind === 'text' ? p.text : '?')).join('')),
    ).toEqual(['pbrun', '-h', 'web1', 'ls', '-l', '/tmp']);
  });

  it('exec=ssh targets the hostname as an SSH host', () => {
    const w = parse('task=0\nhostname=web1\ncommand=uptime\nexec=ssh\n').workflow!;
    expect(w.hosts.map((h) => h.name.value)).toEqual(['web1']);
    const step = w.steps[0]!;
    expect(step.kind === 'run' && step.host?.value).toBe('web1');
  });

  it('drops security-sensitive file arguments and rejects CLI-only ones', () => {
    const out = parse('--fire-and-forget\n--type=shell\ntask=0\nhostname=h\ncommand=true\n');
    expect(out.fileArgs.flags).toEqual(['--type=shell']);
    expect(out.diagnostics.map((d) => [d.code, d.severity, d.span.line])).toEqual([
      ['unsafe-value', 'warning', 1],
    ]);
    expect(parse('--help\ntask=0\nhostname=h\ncommand=true\n').diagnostics.map((d) => d.code)).toEqual([
      'key-not-allowed',
    ]);
  });

  it('--skip-security-validation lets shell syntax through on exec=local', () => {
    expect(parse('task=0\nhostname=h\ncommand=a;b\n').diagnostics.map((d) => d.code)).toEqual([
      'unsafe-value',
    ]);
    expect(parse('task=0\nhostname=h\ncommand=a;b\n', { skipSecurity: true }).diagnostics).toEqual([]);
  });

  it('reports a used global whose environment variable is unset', () => {
    const out = parse('D=$NOPE_UNSET/x\ntask=0\nhostname=h\ncommand=ls\narguments=@D@\n', { env: {} });
    expect(out.diagnostics.map((d) => [d.code, d.span.line])).toEqual([['undefined-var', 1]]);
  });

  it('plans with format tasker and no diagnostics', () => {
    const w = parse(
      'task=0\nhostname=h\ncommand=true\non_success=2\n\ntask=1\nhostname=h\ncommand=false\n\ntask=2\nhostname=h\ncommand=true\n',
    ).workflow!;
    const planned = buildPlan(w, { format: 'tasker' });
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(planned.plan?.format).toBe('tasker');
    expect(planned.plan?.exitCodes).toEqual({ failed: 'step', timedOut: 124 });
  });
});

describe('TASKER argv', () => {
  it('takes = and separate values, short flags, and options after FILE', () => {
    const a = parseTaskerArgv([
      '-r',
      'f.txt',
      '--log-dir',
      '/l',
      '--type=shell',
      '-p',
      'proj',
      '--output-json',
      'o.json',
      '--bogus',
    ]);
    expect(a.file).toBe('f.txt');
    expect([...a.flags].sort()).toEqual(['--output-json', '--run']);
    expect(Object.fromEntries(a.values)).toEqual({
      '--log-dir': '/l',
      '--type': 'shell',
      '--project': 'proj',
      '--output-json': 'o.json',
    });
    expect(a.unknown).toEqual(['--bogus']);
  });

  it('merges file arguments under the command line (booleans OR-ed)', () => {
    const m = mergeTaskerArgs(parseTaskerArgv(['f.txt', '--type=local']), [
      '-r',
      '--type=shell',
      '--log-level=DEBUG',
    ]);
    expect(m.flags.has('--run')).toBe(true);
    expect(m.values.get('--type')).toBe('local');
    expect(m.values.get('--log-level')).toBe('DEBUG');
  });

  it('tells TASKER style from tasker commands', () => {
    const commands = ['run', 'validate', 'convert'];
    expect(isTaskerStyle(['jobs.txt'], commands)).toBe(true);
    expect(isTaskerStyle(['-l', '/x', 'jobs.txt', '-r'], commands)).toBe(true);
    expect(isTaskerStyle(['run', 'jobs.txt'], commands)).toBe(false);
    expect(isTaskerStyle(['--version'], commands)).toBe(false);
  });
});

describe('exit_codes policy and failure_exit', () => {
  const step = (o: Partial<StepResult>): StepResult => ({
    id: 't1',
    kind: 'command',
    name: 't1',
    status: 'failed',
    exitCode: 7,
    signal: null,
    startedAt: 0,
    endedAt: 0,
    durationMs: 0,
    attempts: [],
    iterations: 1,
    stderrTail: [],
    ...o,
  });
  const result = (o: Partial<RunResult>): Omit<RunResult, 'exitCode'> => ({
    runId: 'r',
    workflow: 'w',
    file: 'f',
    status: 'failed',
    startedAt: 0,
    endedAt: 0,
    durationMs: 0,
    steps: [step({})],
    unreachableHosts: [],
    failedStep: 't1',
    ...o,
  });
  it('failed: step uses the failing step code, 1 for 0 or none', () => {
    expect(exitCodeFor(result({}), { failed: 'step' })).toBe(7);
    expect(exitCodeFor(result({ steps: [step({ exitCode: 0 })] }), { failed: 'step' })).toBe(1);
    expect(exitCodeFor(result({}))).toBe(1);
  });
  it('timed_out and failure_exit', () => {
    expect(exitCodeFor(result({ status: 'timed-out' }), { timedOut: 124 })).toBe(124);
    expect(
      exitCodeFor(result({ steps: [step({ status: 'timed-out', exitCode: null })] }), {
        failed: 'step',
        timedOut: 124,
      }),
    ).toBe(124);
    expect(exitCodeFor(result({ failureExit: 10 }), { failed: 'step' })).toBe(10);
  });
});
