import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appendKnownHost,
  classifyLookup,
  lookupInEntries,
  parseKnownHosts,
} from '../../../../src/exec/ssh/known-hosts.js';
import {
  entriesFor,
  forgetKnownHostsFile,
  indexEntries,
  lookupHostKey,
} from '../../../../src/exec/ssh/known-hosts-index.js';
import { blob, hashed } from './known-hosts-fixtures.js';

const keys = ['A', 'B', 'C'].map((c) => blob('ssh-ed25519', c.repeat(32)));
const rsa = blob('ssh-rsa', 'R'.repeat(64));

/** A small deterministic PRNG so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const NAMES = ['web1', 'WEB1', '[web1]:2222', 'db.example.com', 'x.example.com', '[10.0.0.1]:22', 'web12'];
const PATTERNS = [...NAMES, '*.example.com', '!db.example.com', 'web?', '*', '[web1]:*', '!*'];

function randomFile(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) {
    const field = Array.from({ length: 1 + Math.floor(r() * 3) }, () =>
      r() < 0.15 ? hashed(pick(NAMES)) : pick(PATTERNS),
    ).join(',');
    const key = r() < 0.2 ? rsa : pick(keys);
    const marker = r() < 0.1 ? '@revoked ' : r() < 0.1 ? '@cert-authority ' : '';
    lines.push(`${marker}${field} ${r() < 0.2 ? 'ssh-rsa' : 'ssh-ed25519'} ${key.toString('base64')}`);
  }
  return lines.join('\n');
}

describe('known_hosts index', () => {
  it('gives the same verdict as scanning every entry (differential, 400 random files)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const entries = parseKnownHosts(randomFile(rng(seed)), 'kh');
      const index = indexEntries(entries);
      for (const name of NAMES)
        for (const key of [...keys, rsa]) {
          const fast = classifyLookup(entriesFor(index, name), index.revoked, key);
          // lookupInEntries takes host and port; a name is passed as the port-22 host it is.
          expect(fast, `seed ${seed} name ${name}`).toEqual(lookupInEntries(entries, name, 22, key));
        }
    }
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kh-index-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const line = (host: string, key: Buffer): string => `${host} ssh-ed25519 ${key.toString('base64')}\n`;

    it("sees our own append at once, and another writer's change (even same-size) within a second", async () => {
      const file = join(dir, 'known_hosts');
      writeFileSync(file, line('[h1]:2222', keys[0]!));
      expect(await lookupHostKey([file], 'h1', 2222, keys[0]!)).toMatchObject({ kind: 'match' });
      expect(await lookupHostKey([file], 'h2', 2222, keys[0]!)).toMatchObject({ kind: 'unknown' });
      await appendKnownHost(file, 'h2', 2222, keys[0]!);
      forgetKnownHostsFile(file);
      expect(await lookupHostKey([file], 'h2', 2222, keys[0]!)).toMatchObject({ kind: 'match', line: 2 });
      // Another writer: same length, another key for h1; the size is unchanged, the mtime is not.
      writeFileSync(file, line('[h1]:2222', keys[1]!) + line('[h2]:2222', keys[0]!));
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      await new Promise((r) => setTimeout(r, 1100));
      expect(await lookupHostKey([file], 'h1', 2222, keys[0]!)).toMatchObject({ kind: 'mismatch', line: 1 });
    });

    it('a file that disappears is no longer consulted; an unreadable one still fails closed', async () => {
      const file = join(dir, 'gone');
      writeFileSync(file, line('[h1]:2222', keys[0]!));
      expect(await lookupHostKey([file], 'h1', 2222, keys[0]!)).toMatchObject({ kind: 'match' });
      rmSync(file);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await lookupHostKey([file], 'h1', 2222, keys[0]!)).toMatchObject({ kind: 'unknown' });
      await expect(lookupHostKey([dir], 'h1', 2222, keys[0]!)).rejects.toThrow(/cannot read known_hosts/);
    });

    it('many concurrent looks at a 256-line file agree with one another', async () => {
      const file = join(dir, 'fleet');
      writeFileSync(
        file,
        Array.from({ length: 256 }, (_, i) => line(`[10.0.${i >> 4}.${i & 15}]:2222`, keys[i % 3]!)).join(''),
      );
      const verdicts = await Promise.all(
        Array.from({ length: 256 }, (_, i) =>
          lookupHostKey([file], `10.0.${i >> 4}.${i & 15}`, 2222, keys[i % 3]!),
        ),
      );
      expect(verdicts.every((v) => v.kind === 'match')).toBe(true);
      expect(verdicts.map((v) => (v.kind === 'match' ? v.line : 0))).toEqual(
        Array.from({ length: 256 }, (_, i) => i + 1),
      );
    });
  });
});
