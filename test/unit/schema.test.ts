import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { COMMAND_KEYS, COPY_KEYS } from '../../src/parse/command-keys.js';
import { COMMON_KEYS } from '../../src/parse/common.js';
import { parseDuration, parsePolicy, parseWorkflowText } from '../../src/parse/index.js';
import { buildPlan } from '../../src/plan/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const schema = JSON.parse(readFileSync(join(root, 'schema/workflow.schema.json'), 'utf8')) as SchemaNode;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

type SchemaNode = {
  properties?: Record<string, SchemaNode>;
  allOf?: { if?: { required?: string[] }; then?: { propertyNames?: { enum?: string[] } } }[];
  $defs?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  pattern?: string;
};

/** Codes about the shape and values of the file: the schema sees them (bad-value: all but a numeric copy.mode with digits 8 or 9). */
const SHAPE = new Set([
  'bad-value',
  'unknown-key',
  'wrong-type',
  'missing-field',
  'multiple-kinds',
  'no-kind',
  'bad-duration',
  'bad-exit-code',
  'bad-id',
  'bad-policy',
  'bad-version',
  'empty-block',
  'key-not-allowed',
]);
/** Codes about meaning (references, jumps, expressions): a file with only these is well-shaped. */
const SEMANTIC = new Set([
  'expr-syntax',
  'unknown-function',
  'bad-arguments',
  'unsafe-template',
  'shell-syntax',
  'bad-regex',
  'duplicate-id',
  'unknown-step',
  'backward-jump',
  'needs-cycle',
  'needs-outside-block',
  'undefined-var',
  'undefined-ref',
  'step-not-before',
  'unknown-host',
  'unknown-group',
  'inventory',
  'unknown-secret',
]);

/** Codes about the file or its YAML: an editor's YAML layer reports these before any schema runs. */
const YAML_LEVEL = new Set(['bad-file', 'yaml-syntax', 'yaml-alias', 'too-deep', 'duplicate-key']);

function check(data: unknown): boolean {
  return validate(data) === true;
}

/** YAML → plain data the way an editor sees it; aliases capped so a bomb cannot expand. */
function load(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: false });
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

function fixtures(kind: 'valid' | 'invalid'): string[] {
  const dir = join(root, 'fixtures/workflows', kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Error codes from `<case>.diag` (`line:col severity code` per line); warnings do not count. */
function expectedErrorCodes(yamlPath: string): string[] | undefined {
  const diag = yamlPath.replace(/\.yaml$/, '.diag');
  if (!existsSync(diag)) return undefined;
  return readFileSync(diag, 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((parts) => parts[1] === 'error' && parts[2] !== undefined)
    .map((parts) => parts[2]!);
}

const valid = fixtures('valid');
const invalid = fixtures('invalid');

describe('schema: the fixtures', () => {
  it.skipIf(valid.length === 0).each(valid.map((p) => [basename(p), p]))('valid %s passes', (_name, path) => {
    const ok = check(load(readFileSync(path, 'utf8')));
    expect(validate.errors ?? [], `${path}`).toEqual([]);
    expect(ok).toBe(true);
  });

  const cases = invalid.map((p) => ({
    name: basename(p),
    path: p,
    codes: expectedErrorCodes(p) ?? ['(no .diag file)'],
  }));
  const shape = cases.filter(
    (c) => c.codes.some((code) => SHAPE.has(code)) && !c.codes.some((code) => YAML_LEVEL.has(code)),
  );
  const semantic = cases.filter((c) => c.codes.length > 0 && c.codes.every((code) => SEMANTIC.has(code)));

  it.skipIf(shape.length === 0).each(shape.map((c) => [c.name, c]))('invalid %s fails', (_name, c) => {
    expect(check(load(readFileSync(c.path, 'utf8'))), `${c.path}: ${c.codes.join(', ')}`).toBe(false);
  });

  // A file whose only errors are about meaning is well-shaped: the schema must not be stricter than the parser.
  it.skipIf(semantic.length === 0).each(semantic.map((c) => [c.name, c]))(
    'semantic-only %s passes',
    (_name, c) => {
      check(load(readFileSync(c.path, 'utf8')));
      expect(validate.errors ?? [], `${c.path}: ${c.codes.join(', ')}`).toEqual([]);
    },
  );

  const skipped = cases.filter((c) => !shape.includes(c) && !semantic.includes(c));
  for (const c of skipped) {
    const reason = skipReason(c.codes);
    if (reason !== undefined) it.skip(`invalid ${c.name}: not judged by the schema (${reason})`, () => {});
  }

  it('every invalid fixture is either checked or skipped for a listed reason', () => {
    expect(
      skipped.filter((c) => skipReason(c.codes) === undefined).map((c) => `${c.name}: ${c.codes.join(', ')}`),
    ).toEqual([]);
  });
});

/** Why the schema cannot judge a fixture: it is not YAML an editor can load, or its problem is not shape. */
function skipReason(codes: string[]): string | undefined {
  if (codes.some((c) => YAML_LEVEL.has(c))) return 'file or YAML level: hostile input or syntax';
  if (codes.includes('(no .diag file)')) return 'no .diag file';
  if (codes.length === 0) return 'warnings only';
  return undefined;
}

const base = { version: 1, steps: ['echo hi'] };
const withStep = (step: unknown): unknown => ({ version: 1, steps: [step] });

describe('schema: top level', () => {
  it('accepts the smallest workflow', () => {
    expect(check(base)).toBe(true);
  });

  it.each([
    ['version 2', { ...base, version: 2 }],
    ['no version', { steps: ['echo hi'] }],
    ['no steps', { version: 1 }],
    ['empty steps', { version: 1, steps: [] }],
    ['unknown top-level key', { ...base, stpes: [] }],
    ['unknown top-level key that only looks like x-', { ...base, 'X-y': 1 }],
    ['secrets as a string', { ...base, secrets: 'TOKEN' }],
    ['bad secret name', { ...base, secrets: ['not a name'] }],
    ['host with an unknown key', { ...base, hosts: { web1: { adress: 'x' } } }],
    ['port out of range', { ...base, hosts: { web1: { port: 70000 } } }],
    ['group not a list', { ...base, groups: { web: 'web1' } }],
    ['notify on something else', { ...base, notify: { on: 'sometimes', command: 'x' } }],
    ['defaults with a command-only key', { ...base, defaults: { sudo: true } }],
    ['vars with a list value', { ...base, vars: { a: [1] } }],
    ['var name with a dash', { ...base, vars: { 'a-b': 1 } }],
    ['notify without command or webhook', { ...base, notify: { on: 'failure' } }],
    ['empty finally', { ...base, finally: [] }],
  ])('rejects %s', (_name, data) => {
    expect(check(data)).toBe(false);
  });

  it('accepts notify without on (it defaults to failure)', () => {
    expect(check({ ...base, notify: { command: 'x' } })).toBe(true);
  });

  it('accepts x- keys at the top level only (free for anchors)', () => {
    expect(check({ ...base, 'x-common': { a: 1 } })).toBe(true);
    expect(check(withStep({ run: 'x', 'x-note': 'y' }))).toBe(false);
  });

  it('accepts every top-level key', () => {
    const full = {
      version: 1,
      name: 'deploy',
      description: 'd',
      vars: { release: 'v1', n: 3, on: true, none: null },
      secrets: ['API_TOKEN'],
      hosts: {
        web1: {
          address: '10.0.0.1',
          user: 'u',
          port: 2222,
          key: '~/.ssh/k',
          proxy_jump: 'bastion',
          fingerprint: 'SHA256:abc',
          vars: { role: 'web' },
        },
        db1: {},
        db2: null,
      },
      groups: { web: ['web1'], all: ['web', 'db1'] },
      inventory: 'hosts.yaml',
      defaults: {
        timeout: '5m',
        connect_timeout: 10,
        retry: 2,
        env: { A: 'b' },
        cwd: '/tmp',
        host: 'local',
        max_parallel: 2,
        continue_on_error: false,
      },
      steps: ['echo hi'],
      finally: [{ run: 'rm -rf build' }],
      notify: {
        on: ['failure', 'success'],
        command: ['notify-send', 'done'],
        webhook: 'https://x/${{ vars.release }}',
        timeout: '10s',
      },
    };
    const ok = check(full);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('schema: step kinds', () => {
  it.each([
    ['shorthand string', 'echo hi'],
    ['run string', { run: 'echo hi' }],
    ['run argv', { run: ['sleep', 1] }],
    ['parallel list', { parallel: ['a', 'b'] }],
    ['parallel map', { parallel: { steps: ['a'], max: 2, success: 'min_success(1)', fail_fast: true } }],
    ['nested steps', { steps: ['a'], defaults: { timeout: '1m' }, finally: ['b'] }],
    ['if/then/else', { if: 'vars.x == "a"', then: ['a'], else: ['b'] }],
    ['return alone', { id: 'stop', when: 'exit != 0', return: 3 }],
    ['return on a command', { run: 'x', return: 1 }],
    ['copy', { copy: { src: 'a', dest: '/b', mode: '0644' }, hosts: 'web' }],
    ['copy with numeric mode', { copy: { src: 'a', dest: '/b', mode: 420 } }],
    ['sudo false and a boolean condition', { run: 'x', sudo: false, when: true }],
    ['argv with numbers', { run: ['sleep', 1.5] }],
  ])('accepts %s', (_name, step) => {
    expect(check(withStep(step))).toBe(true);
  });

  it.each([
    ['no kind', { id: 'a' }],
    ['two kinds', { run: 'a', if: 'true', then: ['b'] }],
    ['run and copy', { run: 'a', copy: { src: 'a', dest: 'b' } }],
    ['if without then', { if: 'true' }],
    ['then without if', { then: ['a'] }],
    ['empty then', { if: 'true', then: [] }],
    ['empty parallel', { parallel: [] }],
    ['parallel map without steps', { parallel: { max: 2 } }],
    ['empty nested steps', { steps: [] }],
    ['copy without dest', { copy: { src: 'a' } }],
    ['copy with a bad mode', { copy: { src: 'a', dest: 'b', mode: '0999' } }],
    ['run as a map', { run: { cmd: 'x' } }],
    ['empty argv', { run: [] }],
    ['return 256', { return: 256 }],
    ['return -1', { run: 'x', return: -1 }],
    ['return not an integer', { return: 1.5 }],
    ['defaults on a command', { run: 'x', defaults: {} }],
    ['finally on an if', { if: 'true', then: ['a'], finally: ['b'] }],
    ['host and hosts together', { run: 'x', host: 'web1', hosts: ['web1'] }],
  ])('rejects %s', (_name, step) => {
    expect(check(withStep(step))).toBe(false);
  });

  it.each([
    'host',
    'hosts',
    'retry',
    'loop',
    'success',
    'failure',
    'env',
    'cwd',
    'stdin',
    'pty',
    'sudo',
    'max_parallel',
    'max_failed',
  ])('rejects the command-only key %s on blocks and accepts it on run', (key) => {
    const value = sampleValue(key);
    expect(check(withStep({ run: 'x', [key]: value }))).toBe(true);
    expect(check(withStep({ copy: { src: 'a', dest: 'b' }, [key]: value }))).toBe(
      (COPY_KEYS as readonly string[]).includes(key),
    );
    expect(check(withStep({ parallel: ['a'], [key]: value }))).toBe(false);
    expect(check(withStep({ steps: ['a'], [key]: value }))).toBe(false);
    expect(check(withStep({ if: 'true', then: ['a'], [key]: value }))).toBe(false);
    expect(check(withStep({ return: 0, [key]: value }))).toBe(false);
  });

  it('accepts every common key on every kind', () => {
    const common = {
      id: 'a',
      name: 'n',
      when: 'true',
      timeout: '1s',
      continue_on_error: true,
      on_success: 'b',
      on_failure: 'c',
      sleep: '1s',
      needs: ['d'],
    };
    for (const step of [
      { run: 'x', return: 0 },
      { parallel: ['a'] },
      { steps: ['a'] },
      { if: 'true', then: ['a'] },
      { return: 0 },
    ]) {
      expect(check(withStep({ ...common, ...step })), JSON.stringify(step)).toBe(true);
    }
  });
});

function sampleValue(key: string): unknown {
  const samples: Record<string, unknown> = {
    host: 'web1',
    hosts: ['web*'],
    retry: {
      attempts: 3,
      delay: '2s',
      backoff: 'exponential',
      max_delay: '30s',
      jitter: true,
      on_exit: [1, 2],
    },
    loop: { max: 5, until: 'stdout ~ /ready/', delay: '1s' },
    success: 'exit == 0',
    failure: 'exit != 0',
    env: { A: 'b', N: 1 },
    cwd: '/tmp',
    stdin: 'data',
    pty: true,
    sudo: 'postgres',
    max_parallel: 2,
    max_failed: 1,
  };
  return samples[key];
}

describe('schema: step keys match the parser', () => {
  const stepMap = schema.$defs?.stepMap;
  const allowedFor = (kind: string): string[] | undefined =>
    stepMap?.allOf?.find((a) => a.if?.required?.length === 1 && a.if.required[0] === kind)?.then
      ?.propertyNames?.enum;

  it('run takes exactly the common and command keys', () => {
    expect(new Set(allowedFor('run'))).toEqual(new Set([...COMMON_KEYS, ...COMMAND_KEYS, 'run']));
  });

  it('copy takes exactly the common keys and the command keys a transfer honours', () => {
    expect(new Set(allowedFor('copy'))).toEqual(new Set([...COMMON_KEYS, ...COPY_KEYS, 'copy']));
  });

  it.each([
    ['parallel', []],
    ['steps', ['defaults', 'finally']],
    ['if', ['then', 'else']],
  ])('%s takes exactly the common keys and its own', (kind, own) => {
    expect(new Set(allowedFor(kind))).toEqual(new Set([...COMMON_KEYS, kind, ...own]));
  });
});

describe('schema: common key values', () => {
  it.each([
    ['bad id', { run: 'x', id: '1abc' }],
    ['id with a dot', { run: 'x', id: 'a.b' }],
    ['retry 0', { run: 'x', retry: 0 }],
    ['retry without attempts', { run: 'x', retry: { delay: '1s' } }],
    ['retry bad backoff', { run: 'x', retry: { attempts: 2, backoff: 'linear' } }],
    ['retry on_exit 300', { run: 'x', retry: { attempts: 2, on_exit: [300] } }],
    ['loop without max', { run: 'x', loop: { until: 'true' } }],
    ['loop unknown key', { run: 'x', loop: { max: 2, untl: 'true' } }],
    ['env list', { run: 'x', env: ['A=b'] }],
    ['env bad name', { run: 'x', env: { 'A-B': 'x' } }],
    ['pty string', { run: 'x', pty: 'yes' }],
    ['sudo empty', { run: 'x', sudo: '' }],
    ['sudo a number', { run: 'x', sudo: 0 }],
    ['negative max_parallel', { run: 'x', max_parallel: -1 }],
    ['bad policy', { parallel: { steps: ['a'], success: 'most' } }],
    ['min_success(0)', { parallel: { steps: ['a'], success: 'min_success(0)' } }],
    ['bad duration', { run: 'x', timeout: '5 minutes' }],
    ['negative duration', { run: 'x', timeout: -1 }],
    ['expression as a list', { run: 'x', when: ['a'] }],
    ['empty finally', { steps: ['a'], finally: [] }],
    ['empty else', { if: 'true', then: ['a'], else: [] }],
  ])('rejects %s', (_name, step) => {
    expect(check(withStep(step))).toBe(false);
  });
});

/** The schema's regex for a `$defs` entry (first alternative that has one). */
function defPattern(name: string): RegExp {
  const def = schema.$defs?.[name];
  const pattern = def?.pattern ?? def?.anyOf?.find((a) => a.pattern !== undefined)?.pattern;
  if (pattern === undefined) throw new Error(`schema $defs.${name} has no pattern`);
  return new RegExp(pattern, 'u');
}

describe('schema: patterns agree with the parser', () => {
  const durationPattern = defPattern('duration');

  it.each(['500ms', '30s', '5m', '1h', '1h30m', '2d', '1.5s', '1d2h3m4s5ms', '30', '0.5'])(
    'duration %s is accepted by both',
    (text) => {
      expect(durationPattern.test(text)).toBe(true);
      expect(parseDuration(text)).not.toBeUndefined();
    },
  );

  it.each(['', '5 minutes', '30m1h', '1m1m', 'ms', '1x', '-1s', '1.s', 'h1'])(
    'duration %j is rejected by both',
    (text) => {
      expect(durationPattern.test(text)).toBe(false);
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('duration pattern matches exactly what parseDuration accepts (within range)', () => {
    const token = fc.constantFrom('1', '2', '0', '9', '.', 'ms', 's', 'm', 'h', 'd', ' ', 'x', '-');
    const text = fc.array(token, { maxLength: 8 }).map((t) => t.join(''));
    // Short digit runs keep every value below the parser's 24.8-day ceiling, which a pattern cannot express.
    const inRange = text.filter((s) => !/\d{3}/.test(s.replace(/[.\s]/g, '')) && !/\d\d(\.\d*)?d/.test(s));
    fc.assert(
      fc.property(inRange, (s) => {
        expect(durationPattern.test(s), JSON.stringify(s)).toBe(parseDuration(s) !== undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('policy pattern matches exactly what parsePolicy accepts', () => {
    const policyPattern = defPattern('policy');
    const token = fc.constantFrom(
      'all',
      'any',
      'majority',
      'min_success',
      'max_failed',
      '(',
      ')',
      '0',
      '1',
      '7',
      ' ',
      'x',
    );
    const text = fc.array(token, { maxLength: 6 }).map((t) => t.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(policyPattern.test(s), JSON.stringify(s)).toBe(parsePolicy(s) !== undefined);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('docs/workflow-format.md covers the format', () => {
  const doc = (): string => readFileSync(join(root, 'docs/workflow-format.md'), 'utf8');

  it('names every key the schema knows', () => {
    const keys = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (typeof node === 'object' && node !== null) {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'properties') Object.keys(v as object).forEach((p) => keys.add(p));
          collect(v);
        }
      }
    };
    collect(schema);
    const missing = [...keys].filter((k) => !doc().includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });

  const examples = (): string[] =>
    [...doc().matchAll(/```yaml(?: fragment)?\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const errors = (text: string, plan: boolean): string[] => {
    const parsed = parseWorkflowText(text, 'example.yaml');
    const planned = plan && parsed.workflow ? buildPlan(parsed.workflow).diagnostics : [];
    return [...parsed.diagnostics, ...planned]
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.span.line}:${d.span.col} ${d.code}`);
  };

  it('has a complete example that validates and plans without errors', () => {
    const full = examples().filter((b) => b.includes('version: 1'));
    expect(full.length).toBeGreaterThan(0);
    for (const text of full) expect(errors(text, true)).toEqual([]);
  });

  it('has step examples that parse without errors', () => {
    const steps = examples().filter((b) => b.startsWith('- '));
    expect(steps.length).toBeGreaterThan(4);
    for (const b of steps)
      expect(errors(`version: 1\nsteps:\n${b.replace(/^/gm, '  ')}`, false), b).toEqual([]);
  });

  it('lists every diagnostic code', () => {
    const model = readFileSync(join(root, 'src/model/diagnostic.ts'), 'utf8');
    const union = /export type DiagCode =([^;]*);/.exec(model)?.[1] ?? '';
    const codes = [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(30);
    const missing = codes.filter((c) => !doc().includes(`\`${c}\``));
    expect(missing).toEqual([]);
  });
});
