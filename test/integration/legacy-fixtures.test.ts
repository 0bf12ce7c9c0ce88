import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflowFile } from '../../src/api/run.js';
import { loadTaskFile } from '../../src/legacy/index.js';
import type { AstStep, Workflow } from '../../src/model/ast.js';
import type { RunResult } from '../../src/model/result.js';

const dir = join(import.meta.dirname, '../../fixtures/tasker/valid');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4))
  .sort();
const home = mkdtempSync(join(tmpdir(), 'tasker-legacy-'));
const opts = {
  home,
  history: false,
  lock: false as const,
  notify: false,
  retention: false as const,
  killGraceMs: 200,
  legacy: { execTypesPaths: [] },
};

async function run(path: string): Promise<RunResult> {
  const out = await runWorkflowFile(path, opts);
  if (out.kind !== 'ran') throw new Error(`${path}: ${out.kind} ${JSON.stringify(out.diagnostics)}`);
  return out.result;
}

/** Ids of tasks that ran (not skipped), in end order, without gap markers and branch wrappers. */
const order = (r: RunResult): string[] =>
  r.steps.filter((s) => s.status !== 'skipped' && /^t\d+(_in_t\d+)?$/.test(s.id)).map((s) => s.id);
const perTask = (r: RunResult) =>
  r.steps.map((s) => [s.id, s.status, s.exitCode, s.iterations, s.attempts.length]).sort();

/** Children of a concurrent parallel block end in any order: their ids are compared as a set. */
function concurrentGroups(w: Workflow): string[][] {
  const groups: string[][] = [];
  const walk = (steps: readonly AstStep[]): void => {
    for (const s of steps) {
      if (s.kind === 'parallel') {
        if (s.max?.value !== 1) groups.push(s.steps.map((c) => c.id?.value ?? ''));
        walk(s.steps);
      } else if (s.kind === 'if') walk([...s.then, ...(s.else ?? [])]);
    }
  };
  walk(w.steps);
  return groups;
}

function normalize(ids: readonly string[], groups: readonly string[][]): string[] {
  const out = [...ids];
  for (const g of groups) {
    const at = out.flatMap((id, i) => (g.includes(id) ? [i] : []));
    const sorted = at.map((i) => out[i]!).sort();
    at.forEach((i, k) => (out[i] = sorted[k]!));
  }
  return out;
}

describe.concurrent('TASKER fixtures: run the task file and its converted YAML', () => {
  it('has at least 80 valid fixtures, each with an expectation', () => {
    expect(names.length).toBeGreaterThanOrEqual(80);
  });

  it.each(names)('%s', async (name) => {
    const txt = join(dir, `${name}.txt`);
    const expected = JSON.parse(readFileSync(join(dir, `${name}.expect.json`), 'utf8')) as {
      order: string[];
      exit: number;
    };
    const loaded = await loadTaskFile(txt, { execTypesPaths: [] });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const yamlPath = join(mkdtempSync(join(tmpdir(), 'tasker-conv-')), `${name}.yaml`);
    writeFileSync(yamlPath, loaded.yaml!);
    const [fromTxt, fromYaml] = await Promise.all([run(txt), run(yamlPath)]);
    const groups = concurrentGroups(loaded.workflow!);
    expect({ order: normalize(order(fromTxt), groups), exit: fromTxt.exitCode }).toEqual({
      order: normalize(expected.order, groups),
      exit: expected.exit,
    });
    expect(perTask(fromYaml)).toEqual(perTask(fromTxt));
    expect(fromYaml.exitCode).toBe(fromTxt.exitCode);
  });
});
