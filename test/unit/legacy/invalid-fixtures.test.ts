import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTaskFileText } from '../../../src/legacy/index.js';
import { buildPlan } from '../../../src/plan/index.js';
import { validationExitCode } from '../../../src/cli/tasker-compat.js';

const dir = join(import.meta.dirname, '../../../fixtures/tasker/invalid');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4))
  .sort();

describe('TASKER invalid fixtures', () => {
  it.each(names)('%s', (name) => {
    const path = join(dir, `${name}.txt`);
    const expected = JSON.parse(readFileSync(join(dir, `${name}.expect.json`), 'utf8')) as {
      diagnostics: { code: string; line: number }[];
      exit: number;
    };
    const out = parseTaskFileText(readFileSync(path, 'utf8'), path, { execTypesPaths: [] });
    const planned = out.workflow ? buildPlan(out.workflow, { format: 'tasker' }).diagnostics : [];
    const errors = [...out.diagnostics, ...planned]
      .filter((d) => d.severity === 'error')
      .map((d) => ({ code: d.code, line: d.span.line }));
    expect(errors).toEqual(expected.diagnostics);
    for (const d of out.diagnostics) expect(d.span.file).toBe(path);
    expect(validationExitCode(out.diagnostics)).toBe(expected.exit);
  });
});
