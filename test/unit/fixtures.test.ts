import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWorkflowFile } from '../../src/api/validate.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';

const root = join(import.meta.dirname, '../../fixtures/workflows');
const update = process.env.UPDATE_GOLDEN === '1';

function yamlFiles(dir: string): string[] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** One line per diagnostic of the workflow file itself: `line:col severity code`. */
function golden(diagnostics: readonly Diagnostic[], file: string): string {
  return diagnostics
    .filter((d) => d.span.file === file)
    .map((d) => `${d.span.line}:${d.span.col} ${d.severity} ${d.code}`)
    .join('\n');
}

describe('valid workflow fixtures', () => {
  it.each(yamlFiles('valid'))('%s has no errors', async (name) => {
    const file = join(root, 'valid', name);
    const result = await validateWorkflowFile(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.plan).toBeDefined();
  });
});

describe('invalid workflow fixtures', () => {
  it.each(yamlFiles('invalid'))('%s matches its .diag file', async (name) => {
    const file = join(root, 'invalid', name);
    const diagFile = file.replace(/\.yaml$/, '.diag');
    const result = await validateWorkflowFile(file);
    const actual = golden(result.diagnostics, file);
    if (update) writeFileSync(diagFile, `${actual}\n`);
    const expected = readFileSync(diagFile, 'utf8').trim();
    expect(actual).toBe(expected);
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(result.plan).toBeUndefined();
  });
});
