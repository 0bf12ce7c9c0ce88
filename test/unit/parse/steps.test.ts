import { describe, expect, it } from 'vitest';
import { templateSource } from '../../../src/expr/index.js';
import { clean, only, parse, step, where } from './helpers.js';

describe('run steps', () => {
  it('reads a bare string item as a shell command', () => {
    const s = only(step('  - echo hi\n'), 'run');
    expect(s.command.kind).toBe('shell');
    expect(s.keySpan).toMatchObject({ line: 3, col: 5 });
    expect(s.env).toEqual([]);
  });

  it('reads a list as argv, taking numbers and booleans as written', () => {
    const s = only(step('  - run: [printf, "%s", 1.50, 0644, true]\n'), 'run');
    if (s.command.kind !== 'argv') throw new Error('expected argv');
    expect(s.command.args.map(templateSource)).toEqual(['printf', '%s', '1.50', '0644', 'true']);
  });

  it('points keySpan at the kind key and span at the whole step', () => {
    const s = step('  - id: a\n    run: make\n');
    expect(s.keySpan).toMatchObject({ line: 4, col: 5, endLine: 4, endCol: 8 });
    expect(s.span).toMatchObject({ line: 3, col: 5, endLine: 4, endCol: 14 });
  });

  it('decodes every common and command key', () => {
    const s = only(
      step(`  - id: build
    name: Build it
    when: vars.go
    timeout: 1m
    continue_on_error: true
    on_success: next
    on_failure: fix
    return: 3
    sleep: 500ms
    needs: [a, b]
    host: web1
    max_parallel: 2
    max_failed: 1
    retry: 4
    loop: 2
    success: exit == 0
    failure: exit == 9
    env: { A: x, B: 2 }
    cwd: /tmp
    stdin: hello
    pty: true
    sudo: postgres
    run: make
`),
      'run',
    );
    expect(s.id?.value).toBe('build');
    expect(s.name?.value).toBe('Build it');
    expect(s.when?.source).toBe('vars.go');
    expect(s.timeoutMs?.value).toBe(60_000);
    expect(s.continueOnError?.value).toBe(true);
    expect([s.onSuccess?.value, s.onFailure?.value]).toEqual(['next', 'fix']);
    expect(s.returnCode?.value).toBe(3);
    expect(s.sleepMs?.value).toBe(500);
    expect(s.needs?.map((n) => n.value)).toEqual(['a', 'b']);
    expect(s.host?.value).toBe('web1');
    expect([s.maxParallel?.value, s.maxFailed?.value]).toEqual([2, 1]);
    expect(s.retry?.attempts.value).toBe(4);
    expect(s.loop?.max.value).toBe(2);
    expect([s.success?.source, s.failure?.source]).toEqual(['exit == 0', 'exit == 9']);
    expect(s.env.map((e) => [e.name.value, templateSource(e.value)])).toEqual([
      ['A', 'x'],
      ['B', '2'],
    ]);
    expect(s.cwd && templateSource(s.cwd)).toBe('/tmp');
    expect(s.stdin && templateSource(s.stdin)).toBe('hello');
    expect(s.pty?.value).toBe(true);
    expect(s.sudo?.value).toBe('postgres');
  });

  it('reads sudo true as root and sudo false as absent; hosts as a string or list', () => {
    const wf = clean(
      'version: 1\nsteps:\n  - { run: a, sudo: true, hosts: web }\n  - { run: b, sudo: false, hosts: [w1, "w*"] }\n',
    );
    const [a, b] = [only(wf.steps[0], 'run'), only(wf.steps[1], 'run')];
    expect(a.sudo?.value).toBe(true);
    expect(a.hosts?.items.map((i) => i.value)).toEqual(['web']);
    expect(b.sudo).toBeUndefined();
    expect(b.hosts?.items.map((i) => i.value)).toEqual(['w1', 'w*']);
  });

  it('decodes retry and loop maps', () => {
    const s = only(
      step(`  - run: x
    retry: { attempts: 3, delay: 2s, backoff: exponential, max_delay: 1m, jitter: true, on_exit: [1, 75] }
    loop: { max: 5, until: stdout ~ /ok/, delay: 1s }
`),
      'run',
    );
    expect(s.retry).toMatchObject({
      attempts: { value: 3 },
      delayMs: { value: 2000 },
      backoff: { value: 'exponential' },
      maxDelayMs: { value: 60_000 },
      jitter: { value: true },
      onExit: { value: [1, 75] },
    });
    expect(s.loop).toMatchObject({ max: { value: 5 }, delayMs: { value: 1000 } });
    expect(s.loop?.until?.source).toBe('stdout ~ /ok/');
  });
});

describe('block steps', () => {
  it('reads parallel as a bare list or a map with options', () => {
    const wf = clean(`version: 1
steps:
  - parallel: [a, b]
  - parallel: { max: 2, success: min_success(1), fail_fast: false, steps: [c, { id: d, run: d, needs: c }] }
`);
    const a = only(wf.steps[0], 'parallel');
    expect(a.steps.length).toBe(2);
    expect([a.max, a.policy, a.failFast]).toEqual([undefined, undefined, undefined]);
    const b = only(wf.steps[1], 'parallel');
    expect(b.max?.value).toBe(2);
    expect(b.policy?.value).toEqual({ kind: 'min_success', n: 1 });
    expect(b.failFast?.value).toBe(false);
    expect(b.steps[1]?.needs?.map((n) => n.value)).toEqual(['c']);
  });

  it('reads a steps block with its own defaults and finally', () => {
    const s = only(
      step('  - steps: [a]\n    defaults: { timeout: 5s, env: { X: "1" } }\n    finally: [b]\n'),
      'steps',
    );
    expect(s.steps.length).toBe(1);
    expect(s.defaults?.timeoutMs?.value).toBe(5000);
    expect(s.defaults?.env[0]?.name.value).toBe('X');
    expect(s.finally.length).toBe(1);
  });

  it('reads if/then/else with plain or wrapped conditions', () => {
    const wf = clean(
      'version: 1\nsteps:\n  - { if: "${{ exit == 0 }}", then: [a], else: [b] }\n  - { if: true, then: [c] }\n',
    );
    const a = only(wf.steps[0], 'if');
    expect(a.condition.source).toBe('exit == 0');
    expect(a.condition.expr.kind).toBe('binary');
    expect([a.then.length, a.else?.length]).toEqual([1, 1]);
    const b = only(wf.steps[1], 'if');
    expect(b.condition.expr).toMatchObject({ kind: 'literal', value: true });
    expect(b.else).toBeUndefined();
  });

  it('treats a lone return as a return step and return on another kind as returnCode', () => {
    const wf = clean(
      'version: 1\nsteps:\n  - return: 4\n  - { run: x, return: 5 }\n  - { if: true, then: [a], return: 6 }\n',
    );
    expect(only(wf.steps[0], 'return').code.value).toBe(4);
    expect(only(wf.steps[1], 'run').returnCode?.value).toBe(5);
    expect(only(wf.steps[2], 'if').returnCode?.value).toBe(6);
  });

  it('reads copy with octal modes in every spelling', () => {
    const wf = clean(`version: 1
steps:
  - copy: { src: a, dest: b, mode: "0644" }
  - copy: { src: a, dest: b, mode: 0755 }
  - copy: { src: a, dest: b, mode: 0o700 }
  - copy: { src: a, dest: b, mode: 600 }
  - copy: { src: "\${{ vars.x }}", dest: b }
`);
    const modes = wf.steps.map((s) => only(s, 'copy').mode?.value);
    expect(modes).toEqual([0o644, 0o755, 0o700, 0o600, undefined]);
    expect(only(wf.steps[4], 'copy').src.parts[0]?.kind).toBe('expr');
  });
});

describe('step errors', () => {
  it('reports command-only keys on blocks with key-not-allowed at the key', () => {
    const out = parse(
      'version: 1\nsteps:\n  - steps: [a]\n    env: { A: b }\n    hosts: web\n  - if: true\n    then: [a]\n    retry: 2\n',
    );
    expect(where(out.diagnostics)).toEqual([
      '4:5 key-not-allowed',
      '5:5 key-not-allowed',
      '8:5 key-not-allowed',
    ]);
    expect(out.diagnostics.every((d) => d.hint !== undefined)).toBe(true);
  });

  it('reports then/else, defaults/finally and parallel options on the wrong kind', () => {
    const out = parse(
      'version: 1\nsteps:\n  - run: a\n    else: [b]\n    finally: [c]\n  - parallel: [a]\n    fail_fast: true\n    success: any\n',
    );
    expect(where(out.diagnostics)).toEqual([
      '4:5 key-not-allowed',
      '5:5 key-not-allowed',
      '7:5 key-not-allowed',
      '8:5 key-not-allowed',
    ]);
  });

  it('reports unknown keys with a did-you-mean hint', () => {
    const out = parse('version: 1\nsteps:\n  - run: a\n    contine_on_error: true\n');
    expect(where(out.diagnostics)).toEqual(['4:5 unknown-key']);
    expect(out.diagnostics[0]?.hint).toBe('did you mean "continue_on_error"?');
  });

  it('reports multiple kinds at each extra kind key and keeps the first kind', () => {
    const out = parse('version: 1\nsteps:\n  - run: a\n    copy: { src: a, dest: b }\n    if: x\n');
    expect(where(out.diagnostics)).toEqual(['4:5 multiple-kinds', '5:5 multiple-kinds']);
    expect(out.workflow?.steps[0]?.kind).toBe('run');
  });

  it('keeps a step whose other keys are bad, dropping only those keys', () => {
    const out = parse(
      'version: 1\nsteps:\n  - id: keep\n    run: make\n    timeout: soon\n    retry: many\n    bogus: 1\n',
    );
    expect(where(out.diagnostics)).toEqual(['5:14 bad-duration', '6:12 wrong-type', '7:5 unknown-key']);
    const s = only(out.workflow?.steps[0], 'run');
    expect(s.id?.value).toBe('keep');
    expect(s.timeoutMs).toBeUndefined();
    expect(s.retry).toBeUndefined();
  });

  it('keeps the id of a step whose command is missing its value', () => {
    const out = parse(
      'version: 1\nsteps:\n  - id: a\n    run:\n  - id: b\n    copy: { src: x }\n  - id: c\n    if: true\n',
    );
    expect(where(out.diagnostics)).toEqual(['4:5 wrong-type', '6:5 missing-field', '8:5 missing-field']);
    expect(out.diagnostics[0]?.message).toContain('an empty value');
    expect(out.workflow?.steps.map((s) => s.id?.value)).toEqual(['a', 'b', 'c']);
  });

  it('reports every problem of the file in one pass', () => {
    const out = parse(`version: 3
bogus: 1
steps:
  - id: 9x
    run: a
    timeout: forever
  - parallel: []
  - return: 300
  - { run: b, sudo: 1, retry: { attempts: 0 } }
  - if: exit ==
`);
    expect(where(out.diagnostics)).toEqual([
      '1:10 bad-version',
      '2:1 unknown-key',
      '4:9 bad-id',
      '6:14 bad-duration',
      '7:5 empty-block',
      '8:13 bad-exit-code',
      '9:21 wrong-type',
      '9:43 bad-value',
      '10:5 missing-field',
      '10:16 expr-syntax',
    ]);
  });

  it('gives wrong-type messages naming what was expected and what was found', () => {
    const out = parse('version: 1\nsteps:\n  - run: a\n    pty: "yes"\n');
    expect(out.diagnostics[0]?.code).toBe('wrong-type');
    expect(out.diagnostics[0]?.message).toContain('true or false');
    expect(out.diagnostics[0]?.message).toContain('a string');
  });

  it('reports steps that are neither mappings nor strings, and lists that are not lists', () => {
    const out = parse('version: 1\nsteps:\n  - [a, b]\n  - steps: a\n  - if: true\n    then: { run: a }\n');
    expect(where(out.diagnostics)).toEqual(['3:5 wrong-type', '4:12 wrong-type', '6:11 wrong-type']);
  });
});
