import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker, createStreamMasker, MIN_SECRET_LENGTH } from '../../../src/output/index.js';

function streamMask(secrets: readonly string[], chunks: readonly Buffer[]): Buffer {
  const masker = createStreamMasker(secrets);
  return Buffer.concat([...chunks.map((c) => masker.push(c)), masker.flush()]);
}

function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(bytes.subarray(from, p));
    from = p;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

describe('createMasker', () => {
  it('replaces every occurrence with ***', () => {
    expect(createMasker(['hunter2']).mask('a hunter2 b hunter2')).toBe('a *** b ***');
  });

  it('masks the longest secret first when one contains another', () => {
    const masker = createMasker(['abc', 'abcdef']);
    expect(masker.secrets).toEqual(['abcdef', 'abc']);
    expect(masker.mask('xabcdefx abcx')).toBe('x***x ***x');
  });

  it('ignores empty and short values and duplicates', () => {
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);
    const masker = createMasker(['', short, 'token', 'token']);
    expect(masker.secrets).toEqual(['token']);
    expect(masker.mask(`${short} token`)).toBe(`${short} ***`);
  });

  it('treats regex characters in secrets literally', () => {
    expect(createMasker(['a.b*c(d)[e]$|\\']).mask('xa.b*c(d)[e]$|\\y aXbbc')).toBe('x***y aXbbc');
  });

  it('leaves text alone when there are no secrets', () => {
    expect(createMasker([]).mask('anything')).toBe('anything');
  });
});

describe('createStreamMasker', () => {
  const text = Buffer.from('the password is hunter2, again: hunter2!');
  const expected = 'the password is ***, again: ***!';

  it('catches a secret split at every possible chunk edge', () => {
    for (let i = 0; i <= text.length; i++) {
      expect(streamMask(['hunter2'], splitAt(text, [i])).toString(), `cut at ${i}`).toBe(expected);
    }
  });

  it('catches a secret split into one-byte chunks', () => {
    expect(streamMask(['hunter2'], splitAt(text, [...text.keys()])).toString()).toBe(expected);
  });

  it('catches a UTF-8 secret cut inside a multi-byte character', () => {
    const bytes = Buffer.from('pw=pässwörd;');
    for (let i = 0; i <= bytes.length; i++) {
      expect(streamMask(['pässwörd'], splitAt(bytes, [i])).toString()).toBe('pw=***;');
    }
  });

  it('holds back only a tail that could start a secret', () => {
    const masker = createStreamMasker(['abcdefgh']);
    expect(masker.push(Buffer.from('line one\n')).toString()).toBe('line one\n');
    expect(masker.push(Buffer.from('xxabcd')).toString()).toBe('xx');
    expect(masker.push(Buffer.from('eZ')).toString()).toBe('abcdeZ');
    expect(masker.flush().length).toBe(0);
  });

  it('holds back at most longest-1 bytes', () => {
    const masker = createStreamMasker(['aaaaaaab']);
    expect(masker.push(Buffer.alloc(1000, 'a')).length).toBe(1000 - 7);
    expect(masker.flush().toString()).toBe('aaaaaaa');
  });

  it('waits for a longer secret that shares a prefix with a shorter complete one', () => {
    const masker = createStreamMasker(['abcdef', 'abc']);
    expect(masker.push(Buffer.from('xabcd')).toString()).toBe('x');
    expect(Buffer.concat([masker.push(Buffer.from('ef!')), masker.flush()]).toString()).toBe('***!');
  });

  it('passes chunks through untouched when there are no secrets', () => {
    const chunk = Buffer.from('abc');
    expect(createStreamMasker([]).push(chunk)).toBe(chunk);
  });

  it('gives the same result as one-shot masking for any split', () => {
    const secrets = ['hunter2', 'hunter22x', 'tok', 'ünï€'];
    const piece = fc.constantFrom('hunter', '2', '2x', 'tok', 'ü', 'nï€', 'a', '\n', 'hunter22x');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (pieces, cuts) => {
          const whole = pieces.join('');
          const streamed = streamMask(createMasker(secrets).secrets, splitAt(Buffer.from(whole), cuts));
          expect(streamed.toString()).toBe(createMasker(secrets).mask(whole));
        },
      ),
    );
  });
});
