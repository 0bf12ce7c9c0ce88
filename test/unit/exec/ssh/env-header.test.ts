import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envHeader, HEADER_READER } from '../../../../src/exec/ssh/env-header.js';

const shells = ['/bin/sh', '/bin/dash', '/bin/bash'].filter((s) => existsSync(s));

/** Feeds header + stdin to `sh -c 'READER; print env; cat'` and returns what the shell saw. */
function through(shell: string, env: Record<string, string>, stdin: string): string {
  const script = `${HEADER_READER} for n in ${Object.keys(env).join(' ')}; do printenv "$n"; printf '\\0'; done; printf '|'; cat`;
  return execFileSync(shell, ['-c', script], { input: envHeader(env) + stdin, encoding: 'utf8' });
}

describe('env header (remote env on stdin)', () => {
  const hostile = [
    `it's "quoted" \\ back`,
    '$(touch /tmp/PWNED-env) `id` ${HOME}',
    'line1\nline2\n\n',
    '\n',
    '',
    '.',
    'a\r\n\tb\x01\x1b[31m\x7f',
    'ü€😀'.repeat(50),
    'x'.repeat(5000),
  ];

  for (const shell of shells) {
    it(`${shell}: every value arrives exactly, and the step's stdin after the header is intact`, () => {
      const env = Object.fromEntries(hostile.map((v, i) => [`V${i}`, v]));
      const out = through(shell, env, 'stdin\n.\nrest');
      expect(out).toBe(hostile.map((v) => `${v}\n\0`).join('') + '|stdin\n.\nrest');
      expect(existsSync('/tmp/PWNED-env')).toBe(false);
    });
  }

  it('every header line is printable and short enough for a terminal in canonical mode', () => {
    const header = envHeader({ A: '\x01'.repeat(500), B: 'é'.repeat(3000), C: "'".repeat(400) });
    for (const line of header.split('\n')) {
      expect(Buffer.byteLength(line)).toBeLessThan(4000);
      expect([...line].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)).toBe(true);
    }
  });

  it('round-trips arbitrary strings under dash (property)', () => {
    const shell = shells.includes('/bin/dash') ? '/bin/dash' : '/bin/sh';
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const v = raw.replace(/\0/g, '');
        return through(shell, { V: v }, '') === `${v}\n\0|`;
      }),
      { numRuns: 40, seed: 9 },
    );
  });
});
