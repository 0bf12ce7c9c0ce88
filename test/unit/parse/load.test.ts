import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkflowFile } from '../../../src/parse/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tasker-parse-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('loadWorkflowFile', () => {
  it('merges inventory hosts and groups relative to the workflow file', async () => {
    write(
      'a/inv/hosts.yaml',
      'hosts:\n  app1: { address: 10.0.0.1 }\n  app2: {}\ngroups:\n  app: [app1, app2]\n',
    );
    const wf = write(
      'a/flow.yaml',
      'version: 1\ninventory: inv/hosts.yaml\nhosts:\n  local1: {}\nsteps: [echo]\n',
    );
    const out = await loadWorkflowFile(wf);
    expect(out.diagnostics).toEqual([]);
    expect(out.workflow?.hosts.map((h) => h.name.value)).toEqual(['local1', 'app1', 'app2']);
    expect(out.workflow?.hosts[1]?.name.span.file).toBe(join(dir, 'a/inv/hosts.yaml'));
    expect(out.workflow?.groups.map((g) => [g.name.value, g.members.length])).toEqual([['app', 2]]);
  });

  it('points diagnostics about the inventory into the inventory file', async () => {
    const inv = write('b/hosts.yaml', 'hosts:\n  app1: { adress: x, port: none }\ngroup:\n  a: [app1]\n');
    const out = await loadWorkflowFile(
      write('b/flow.yaml', 'version: 1\ninventory: hosts.yaml\nsteps: [echo]\n'),
    );
    const sorted = [...out.diagnostics].sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
    expect(sorted.map((d) => [d.span.file, d.span.line, d.span.col, d.code])).toEqual([
      [inv, 2, 11, 'unknown-key'],
      [inv, 2, 28, 'wrong-type'],
      [inv, 3, 1, 'unknown-key'],
    ]);
    expect(out.workflow?.hosts.map((h) => h.name.value)).toEqual(['app1']);
  });

  it('reports a missing inventory at the inventory value of the workflow', async () => {
    const wf = write('c/flow.yaml', 'version: 1\ninventory: missing.yaml\nsteps: [echo]\n');
    const out = await loadWorkflowFile(wf);
    expect(out.diagnostics.map((d) => [d.span.file, d.span.line, d.span.col, d.code])).toEqual([
      [wf, 2, 12, 'inventory'],
    ]);
  });

  it('warns when the workflow and the inventory define the same host, and keeps the workflow one', async () => {
    const inv = write('d/hosts.yaml', 'hosts:\n  web1: { address: from-inventory }\n');
    const out = await loadWorkflowFile(
      write(
        'd/flow.yaml',
        'version: 1\ninventory: hosts.yaml\nhosts:\n  web1: { address: inline }\nsteps: [echo]\n',
      ),
    );
    expect(out.diagnostics.map((d) => [d.span.file, d.span.line, d.code, d.severity])).toEqual([
      [inv, 2, 'inventory', 'warning'],
    ]);
    expect(out.workflow?.hosts.map((h) => h.address?.value)).toEqual(['inline']);
  });

  it('reports an inventory that is not a mapping', async () => {
    const inv = write('e/hosts.yaml', '- web1\n');
    const out = await loadWorkflowFile(
      write('e/flow.yaml', 'version: 1\ninventory: hosts.yaml\nsteps: [echo]\n'),
    );
    expect(out.diagnostics.map((d) => [d.span.file, d.code])).toEqual([[inv, 'inventory']]);
  });

  it('uses the path as given in every span', async () => {
    const wf = write('f/flow.yaml', 'version: 1\nsteps:\n  - run: a\n    timout: 1s\n');
    const out = await loadWorkflowFile(wf);
    expect(out.diagnostics.map((d) => d.span.file)).toEqual([wf]);
    expect(out.workflow?.file).toBe(wf);
  });
});
