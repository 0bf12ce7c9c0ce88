import { describe, expect, it } from 'vitest';
import { templateSource } from '../../../src/expr/index.js';
import type { Template } from '../../../src/model/expr.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { parseInventoryText } from '../../../src/parse/index.js';
import { clean, parse, where } from './helpers.js';

const source = (v: Template | { value: unknown }): unknown => ('parts' in v ? templateSource(v) : v.value);

describe('top level', () => {
  it('reads name, description, vars of every type, and secrets', () => {
    const wf = clean(`version: 1
name: deploy
description: 42
vars:
  a: text
  b: \${{ env.X ?? "y" }}
  c: 3
  d: false
  e: null
  f:
secrets: [DB_PASSWORD, API_TOKEN]
steps: [echo]
`);
    expect(wf.version.value).toBe(1);
    expect([wf.name?.value, wf.description?.value]).toEqual(['deploy', '42']);
    expect(wf.vars.map((v) => [v.name.value, source(v.value)])).toEqual([
      ['a', 'text'],
      ['b', "${{ env.X ?? 'y' }}"],
      ['c', 3],
      ['d', false],
      ['e', null],
      ['f', null],
    ]);
    expect(wf.secrets.map((s) => s.value)).toEqual(['DB_PASSWORD', 'API_TOKEN']);
  });

  it('reads hosts in full, empty, and groups', () => {
    const wf = clean(`version: 1
hosts:
  web1: { address: 10.0.0.1, user: deploy, port: 2222, key: ~/.ssh/k, proxy_jump: bastion, fingerprint: "SHA256:x", vars: { role: web, n: 2 } }
  db1:
  db2: {}
groups:
  web: [web1]
  all: [web, db1]
steps: [echo]
`);
    const [web1, db1, db2] = wf.hosts;
    expect(web1).toMatchObject({
      name: { value: 'web1' },
      address: { value: '10.0.0.1' },
      user: { value: 'deploy' },
      port: { value: 2222 },
      key: { value: '~/.ssh/k' },
      proxyJump: { value: 'bastion' },
      fingerprint: { value: 'SHA256:x' },
    });
    expect(web1?.vars.map((v) => [v.name.value, templateSource(v.value)])).toEqual([
      ['role', 'web'],
      ['n', '2'],
    ]);
    expect([db1?.name.value, db1?.address, db2?.name.value, db2?.vars]).toEqual([
      'db1',
      undefined,
      'db2',
      [],
    ]);
    expect(wf.groups.map((g) => [g.name.value, g.members.map((m) => m.value)])).toEqual([
      ['web', ['web1']],
      ['all', ['web', 'db1']],
    ]);
  });

  it('reads defaults, finally, inventory and notify', () => {
    const wf = clean(`version: 1
inventory: hosts.yaml
defaults: { timeout: 1m, connect_timeout: 5s, retry: { attempts: 2 }, env: { A: b }, cwd: /srv, host: web1, max_parallel: 3, continue_on_error: true }
steps: [echo]
finally: [cleanup]
notify: { on: [failure, success], command: [page, "\${{ vars.x }}"], webhook: "https://h/x", timeout: 10s }
`);
    expect(wf.inventory?.value).toBe('hosts.yaml');
    expect(wf.defaults).toMatchObject({
      timeoutMs: { value: 60_000 },
      connectTimeoutMs: { value: 5000 },
      retry: { attempts: { value: 2 } },
      host: { value: 'web1' },
      maxParallel: { value: 3 },
      continueOnError: { value: true },
    });
    expect(wf.defaults?.cwd && templateSource(wf.defaults.cwd)).toBe('/srv');
    expect(wf.finally.length).toBe(1);
    expect(wf.notify?.on.value).toEqual(['failure', 'success']);
    expect(wf.notify?.command?.kind).toBe('argv');
    expect(wf.notify?.webhook && templateSource(wf.notify.webhook)).toBe('https://h/x');
    expect(wf.notify?.timeoutMs?.value).toBe(10_000);
  });

  it('notify without `on` alerts on failure, as docs/cron.md says', () => {
    const wf = clean('version: 1\nsteps: [echo]\nnotify:\n  command: page-oncall\n');
    expect(wf.notify?.on.value).toEqual(['failure']);
  });

  it('ignores x- keys so anchors can live at the top level', () => {
    const wf = clean('version: 1\nx-common: &c { timeout: 5s }\nsteps:\n  - run: a\n    timeout: 5s\n');
    expect(wf.steps.length).toBe(1);
  });

  it('requires version 1 and steps', () => {
    expect(where(parse('name: x\n').diagnostics)).toEqual(['1:1 missing-field', '1:1 missing-field']);
    expect(where(parse('version: "1"\nsteps: [a]\n').diagnostics)).toEqual(['1:10 bad-version']);
    expect(where(parse('version: 1.0\nsteps: [a]\n').diagnostics)).toEqual([]);
  });

  it('reports bad names in vars, env, secrets and hosts', () => {
    const out = parse(`version: 1
vars: { 2x: a, ok: b, list: [1] }
secrets: [GOOD, "bad name", 3]
hosts: { h: { port: 0 }, g: [a] }
groups: { web: [a, { b: c }] }
steps:
  - run: a
    env: { "A B": c }
`);
    expect(where(out.diagnostics)).toEqual([
      '2:9 bad-value',
      '2:29 wrong-type',
      '3:17 bad-value',
      '3:29 wrong-type',
      '4:21 bad-value',
      '4:29 wrong-type',
      '5:20 wrong-type',
      '8:12 bad-value',
    ]);
    expect(out.workflow?.vars.map((v) => v.name.value)).toEqual(['ok']);
  });

  it('reports notify problems', () => {
    expect(where(parse('version: 1\nsteps: [a]\nnotify: { command: x }\n').diagnostics)).toEqual([]);
    expect(
      where(parse('version: 1\nsteps: [a]\nnotify: { on: [failure, never], webhook: x }\n').diagnostics),
    ).toEqual(['3:25 bad-value']);
    expect(where(parse('version: 1\nsteps: [a]\nnotify: { on: always, comand: x }\n').diagnostics)).toEqual([
      '3:1 missing-field',
      '3:23 unknown-key',
    ]);
  });

  it('reports a document that is not a mapping and returns no workflow', () => {
    for (const text of ['- a\n', 'just text\n', '42\n']) {
      const out = parse(text);
      expect(out.workflow).toBeUndefined();
      expect(where(out.diagnostics)).toEqual(['1:1 wrong-type']);
    }
  });
});

describe('YAML level', () => {
  it('reports duplicate keys at the second key', () => {
    expect(where(parse('version: 1\nsteps: [a]\nsteps: [b]\n').diagnostics)).toEqual(['3:1 duplicate-key']);
  });

  it('names the sibling key an over-indented key should align with', () => {
    const out = parse('version: 1\nsteps:\n  - id: build\n    run: make\n      timeout: 5m\n');
    const d = out.diagnostics.find((x) => x.code === 'yaml-syntax');
    expect(d && `${d.span.line}:${d.span.col}`).toBe('5:7');
    expect(d?.message).toBe(
      '`timeout:` is indented more than `run:` on line 4, so YAML reads it as part of the value of `run`',
    );
    expect(d?.hint).toContain('align `timeout:` with `run:` (column 5)');
    // Under a list item's first key, the column is the key's, after `- `.
    const item = parse('version: 1\nsteps:\n  - run: make\n        timeout: 5m\n').diagnostics;
    expect(item.find((x) => x.code === 'yaml-syntax')?.hint).toContain(
      'align `timeout:` with `run:` (column 5)',
    );
    // A value that really contains ": " keeps the quoting hint.
    const colon = parse('version: 1\nsteps:\n  - run: echo a: b\n').diagnostics;
    expect(colon.find((x) => x.code === 'yaml-syntax')?.hint).toBe('quote a value that contains ": "');
  });

  it('reports an over-indented key once: not also the value YAML then misread (issue 10)', () => {
    // `run must be a command string … got a mapping` was reported first, before the real cause.
    const run = parse('version: 1\nsteps:\n  - id: build\n    run: make\n      timeout: 5m\n');
    expect(where(run.diagnostics)).toEqual(['5:7 yaml-syntax']);
    // The swallowed key was the step's kind: no `no-kind`, no `id must be a string`.
    const id = parse('version: 1\nsteps:\n  - id: build\n      run: make\n  - run: b\n    timout: 1s\n');
    expect(where(id.diagnostics)).toEqual(['4:7 yaml-syntax', '6:5 unknown-key']);
    // At the top level: the hint names `name:` at column 1, and the swallowed `steps:` is not missing.
    const top = parse('version: 1\nname: x\n  description: y\nsteps:\n  - run: a\n');
    expect(where(top.diagnostics)).toEqual(['3:3 yaml-syntax']);
    expect(top.diagnostics[0]?.hint).toContain('align `description:` with `name:` (column 1)');
    // A value with ": " in it: the quoting hint alone, not also `run … got a mapping`.
    expect(where(parse('version: 1\nsteps:\n  - run: echo a: b\n').diagnostics)).toEqual([
      '3:10 yaml-syntax',
    ]);
  });

  it("reports an over-indented key once in tasker's inventory shape too", () => {
    const ds: Diagnostic[] = [];
    parseInventoryText(
      'hosts:\n  web1:\n    address: 10.0.0.1\n      user: deploy\n  web2: {}\n',
      'hosts.yaml',
      ds,
    );
    // (The inventory reader parses the text twice; validate drops the repeated yaml-syntax.)
    expect([...new Set(where(ds))]).toEqual(['4:7 yaml-syntax']);
  });

  it('reports syntax errors with their position and keeps going', () => {
    const out = parse('version: 1\nsteps:\n  - run: "a\n');
    expect(out.diagnostics.map((d) => d.code)).toContain('yaml-syntax');
  });

  it('follows a few aliases', () => {
    const wf = clean(
      'version: 1\nx-r: &r { attempts: 2 }\nsteps:\n  - { run: a, retry: *r }\n  - { run: b, retry: *r }\n',
    );
    expect(wf.steps.map((s) => (s.kind === 'run' ? s.retry?.attempts.value : 0))).toEqual([2, 2]);
  });

  it('reports a dangling alias once, without follow-on errors', () => {
    expect(where(parse('version: 1\nsteps:\n  - run: *nope\n').diagnostics)).toEqual(['3:10 yaml-alias']);
  });

  it('turns unknown tags into warnings', () => {
    const out = parse('version: 1\nsteps:\n  - run: !weird echo\n');
    expect(out.diagnostics.map((d) => [d.code, d.severity])).toEqual([['yaml-syntax', 'warning']]);
  });
});
