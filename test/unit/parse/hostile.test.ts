import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkflowFile, MAX_FILE_BYTES, parseWorkflowText } from '../../../src/parse/index.js';
import { parse, where } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tasker-parse-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const codes = (ds: readonly { code: string }[]): string[] => [...new Set(ds.map((d) => d.code))];

describe('hostile files', () => {
  it('reports an empty file', async () => {
    const out = await loadWorkflowFile(fileWith('empty.yaml', ''));
    expect(out.workflow).toBeUndefined();
    expect(codes(out.diagnostics)).toEqual(['missing-field']);
  });

  it('refuses a binary file', async () => {
    const out = await loadWorkflowFile(fileWith('bin.yaml', new Uint8Array([0x76, 0x3a, 0x00, 0x01, 0xff])));
    expect(where(out.diagnostics)).toEqual(['1:1 bad-file']);
  });

  it('refuses text that is not UTF-8', async () => {
    const latin1 = Buffer.from('version: 1\nname: caf\xe9\nsteps: [a]\n', 'latin1');
    const out = await loadWorkflowFile(fileWith('latin1.yaml', latin1));
    expect(where(out.diagnostics)).toEqual(['1:1 bad-file']);
  });

  it('refuses a 50 MB file without parsing it', async () => {
    const path = fileWith('huge.yaml', Buffer.alloc(50 * 1024 * 1024, 'a'));
    const out = await loadWorkflowFile(path);
    expect(where(out.diagnostics)).toEqual(['1:1 bad-file']);
    expect(out.diagnostics[0]?.span.file).toBe(path);
  });

  it('refuses an over-size string or byte array given directly', () => {
    const big = 'x'.repeat(MAX_FILE_BYTES + 1);
    expect(codes(parseWorkflowText(big, 'big.yaml').diagnostics)).toEqual(['bad-file']);
    expect(codes(parseWorkflowText(Buffer.from(big), 'big.yaml').diagnostics)).toEqual(['bad-file']);
  });

  it('refuses NUL characters in a string', () => {
    expect(codes(parseWorkflowText('version: 1\u0000\n', 'nul.yaml').diagnostics)).toEqual(['bad-file']);
  });

  it('reports a missing file and a directory as bad-file', async () => {
    expect(where((await loadWorkflowFile(join(dir, 'nope.yaml'))).diagnostics)).toEqual(['1:1 bad-file']);
    expect(where((await loadWorkflowFile(dir)).diagnostics)).toEqual(['1:1 bad-file']);
  });
});

describe('hostile YAML', () => {
  it('refuses a billion-laughs alias bomb without expanding it', () => {
    const lines = ['version: 1', 'x-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 12; i++)
      lines.push(
        `x-${i}: &a${i} [${Array<string>(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('vars: { boom: *a12 }', 'steps: [*a12]');
    const out = parse(lines.join('\n'));
    expect(codes(out.diagnostics)).toContain('yaml-alias');
    expect(out.workflow).toBeDefined();
  });

  it('stops a bomb made of few aliases once it has expanded enough', () => {
    const lines = ['version: 1', 'x-s0: &s0 { run: echo }'];
    for (let i = 1; i <= 9; i++)
      lines.push(
        `x-s${i}: &s${i} { steps: [${Array<string>(9)
          .fill(`*s${i - 1}`)
          .join(', ')}] }`,
      );
    lines.push('steps: [*s9]');
    const out = parse(lines.join('\n'));
    expect(codes(out.diagnostics)).toEqual(['yaml-alias']);
  });

  it('stops an alias that refers to its own ancestor', () => {
    const out = parse('version: 1\nsteps:\n  - &loop\n    steps: [*loop]\n');
    expect(codes(out.diagnostics)).toEqual(['too-deep']);
  });

  it('refuses 500 nested step blocks', () => {
    let text = 'version: 1\nsteps:\n';
    let indent = '  ';
    for (let i = 0; i < 500; i++) {
      text += `${indent}- steps:\n`;
      indent += '    ';
    }
    text += `${indent}- run: echo deep\n`;
    expect(codes(parse(text).diagnostics)).toContain('too-deep');
  });

  it('refuses deeply nested flow collections', () => {
    const out = parse(`version: 1\nsteps: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(codes(out.diagnostics)).toContain('too-deep');
  });

  it('reports a 10,000-character key, plain or explicit', () => {
    const key = 'k'.repeat(10_000);
    const plain = parse(`version: 1\nsteps:\n  - run: echo\n    ${key}: 1\n`);
    expect(plain.diagnostics.length).toBeGreaterThan(0);
    const explicit = parse(`version: 1\nsteps:\n  - run: echo\n    ? ${key}\n    : 1\n`);
    expect(where(explicit.diagnostics)).toEqual(['4:7 unknown-key']);
    expect(explicit.diagnostics[0]!.message.length).toBeLessThan(200);
  });

  it('reports a second YAML document instead of ignoring it', () => {
    expect(codes(parse('version: 1\nsteps: [a]\n---\nversion: 1\n').diagnostics)).toEqual(['yaml-syntax']);
  });
});
