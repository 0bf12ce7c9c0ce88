import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitHostPort } from '../../src/parse/ansible-address.js';
import { iniValue } from '../../src/parse/ansible-literal.js';
import type { RawValue } from '../../src/parse/ansible-model.js';
import { shlexWords } from '../../src/parse/ansible-shlex.js';

/**
 * Differential fuzzing of the three pieces of Ansible's INI reader that tasker re-implements, against
 * Ansible's own Python functions: `InventoryModule._parse_value` (ast.literal_eval), `parse_address`
 * and `shlex_split(comments=True)`. Thousands of generated inputs, one Python process per batch.
 */

const inventoryBin = spawnSync('sh', ['-c', 'command -v ansible-inventory'], {
  encoding: 'utf8',
}).stdout.trim();
if (inventoryBin === '') {
  if (process.env.CI) throw new Error('ansible is not installed: the Python differential test cannot run');
  console.warn(
    '\n!!! SKIPPING the Ansible Python differential test: ansible-inventory is not installed !!!\n',
  );
}
const python = (): string =>
  (readFileSync(inventoryBin, 'utf8').split('\n')[0] ?? '').replace(/^#!\s*/, '').split(/\s+/)[0] ||
  'python3';

const ORACLE = String.raw`
import json, sys
from ansible.plugins.inventory.ini import InventoryModule
from ansible.parsing.utils.addresses import parse_address
from ansible.utils.shlex import shlex_split
def value(v):
    try:
        r = InventoryModule._parse_value(v)
    except Exception as e:
        return {'kind': 'raises', 'error': str(e)}
    if r is None: return {'kind': 'null'}
    if isinstance(r, bool): return {'kind': 'scalar', 'type': 'bool', 'text': str(r)}
    if isinstance(r, int): return {'kind': 'scalar', 'type': 'int', 'text': str(r)}
    if isinstance(r, float): return {'kind': 'scalar', 'type': 'float', 'text': repr(r)}
    if isinstance(r, str): return {'kind': 'scalar', 'type': 'str', 'text': r}
    return {'kind': 'structured'}
def address(a):
    try:
        host, port = parse_address(a, allow_ranges=True)
        return {'host': host, 'port': port}
    except Exception:
        return {'host': a, 'port': None}
def words(line):
    try:
        return shlex_split(line, comments=True)
    except ValueError:
        return None
data = json.load(sys.stdin)
json.dump({
  'values': [value(v) for v in data['values']],
  'addresses': [address(a) for a in data['addresses']],
  'words': [words(w) for w in data['words']],
}, sys.stdout)
`;

/** A small seeded generator, so a failure names an input that reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function build(pieces: readonly string[], next: () => number, max: number): string {
  let out = '';
  const n = 1 + Math.floor(next() * max);
  for (let i = 0; i < n; i += 1) out += pieces[Math.floor(next() * pieces.length)]!;
  return out;
}

const VALUE_PIECES = [
  '2222',
  '0',
  '00',
  '0x8AE',
  '0o17',
  '0b101',
  '1_000',
  '1.5',
  '.5',
  '5.',
  '1e3',
  '1E-5',
  '1e16',
  '12j',
  '-',
  '+',
  ' ',
  '  ',
  '\t',
  '#',
  ' # c',
  "'",
  '"',
  "'''",
  '\\',
  '\\n',
  '\\x41',
  'r',
  'b',
  'u',
  'f',
  'True',
  'False',
  'None',
  'ops',
  'a b',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  ',',
  ':',
  'deploy',
  '=',
  '%',
  '{{ x }}',
  'é',
  '0x',
  '_',
];
const ADDRESS_PIECES = [
  'web',
  '01',
  '[',
  ']',
  ':',
  '22',
  '2001',
  'db8',
  '::',
  '1',
  '.',
  '-',
  '_',
  'a',
  'Z',
  '[1:3]',
  '[a:c]',
  '10',
  '0',
  '255',
  '256',
  'ex',
  'é',
  '[01:10:2]',
  'ff',
  ' ',
  '*',
];
const WORD_PIECES = [
  'h',
  ' ',
  '  ',
  "'",
  '"',
  '\\',
  '#',
  'x=1',
  'a="b c"',
  "y='z'",
  '\\"',
  '\\#',
  ';',
  '\t',
  'é',
  '=',
  '""',
  "''",
];

function comparable(v: RawValue): Record<string, unknown> {
  return v.kind === 'scalar' ? { kind: v.kind, type: v.type, text: v.text } : { kind: v.kind };
}

describe.skipIf(inventoryBin === '')(
  "tasker against Ansible's own Python for INI values, addresses and words",
  () => {
    it('agrees on thousands of generated inputs', () => {
      const next = rng(Number(process.env.FUZZ_SEED ?? 16));
      const values = [
        '2222   # forwarded',
        "'deploy'  # c",
        'ops#1',
        'ops # x',
        '"a" \'b\'',
        '',
        "u'x'",
        "b'y'",
        '1e999',
      ];
      const addresses = [
        '[2001:db8::10]:2222',
        '10.0.0.5:2222',
        'web[01:03]:2200',
        'web_:22',
        'h:',
        '[h]:22',
      ];
      const words = [`q x='a'#b y=ops#1 z="'k'"`, 'h#x  # comment', 'a\\ b "c\\"d" \'e\\f\''];
      for (let i = 0; i < 3000; i += 1) values.push(build(VALUE_PIECES, next, 6));
      for (let i = 0; i < 2000; i += 1) addresses.push(build(ADDRESS_PIECES, next, 7));
      for (let i = 0; i < 2000; i += 1) words.push(build(WORD_PIECES, next, 8));
      const out = execFileSync(python(), ['-c', ORACLE], {
        input: JSON.stringify({ values, addresses, words }),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const theirs = JSON.parse(out) as {
        values: Record<string, unknown>[];
        addresses: { host: string; port: number | null }[];
        words: (string[] | null)[];
      };
      const valueDiffs = values
        .map((v, i) => ({ input: v, ours: comparable(iniValue(v)), theirs: theirs.values[i]! }))
        .filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.theirs));
      expect(valueDiffs.slice(0, 10)).toEqual([]);
      const addressDiffs = addresses
        .map((a, i) => {
          const mine = splitHostPort(a);
          return {
            input: a,
            ours: { host: mine.host, port: mine.port ?? null },
            theirs: theirs.addresses[i]!,
          };
        })
        .filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.theirs));
      expect(addressDiffs.slice(0, 10)).toEqual([]);
      const wordDiffs = words
        .map((w, i) => {
          const mine = shlexWords(w, true);
          return {
            input: w,
            ours: mine.kind === 'ok' ? mine.words.map((x) => x.text) : null,
            theirs: theirs.words[i],
          };
        })
        .filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.theirs));
      expect(wordDiffs.slice(0, 10)).toEqual([]);
    });
  },
);
