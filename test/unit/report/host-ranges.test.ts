import { describe, expect, it } from 'vitest';
import { compactHosts, hostsWithCount } from '../../../src/report/host-ranges.js';

/** Expands `web[001-003,7]x, db` back into names: what a reader does with the compact form. */
function expand(text: string): string[] {
  const out: string[] = [];
  for (const part of text.match(/[^,[\]]*(\[[^\]]*\])?[^,[\]]*/g)!.filter((p) => p.trim() !== '')) {
    const m = /^\s*(.*?)\[(.*)\](.*)$/.exec(part);
    if (!m) {
      out.push(part.trim());
      continue;
    }
    const [, prefix, body, suffix] = m as unknown as [string, string, string, string];
    for (const r of body.split(',')) {
      const [a, b = a] = r.split('-') as [string, string?];
      const width = a.length;
      for (let v = Number(a); v <= Number(b); v++)
        out.push(
          `${prefix}${a.startsWith('0') || b.length === width ? String(v).padStart(width, '0') : v}${suffix}`,
        );
    }
  }
  return out;
}

const web = (from: number, to: number, width = 3): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `web${String(from + i).padStart(width, '0')}`);

describe('compactHosts', () => {
  it('folds numbered names into ranges, keeping zero padding', () => {
    expect(compactHosts(web(1, 128))).toBe('web[001-128]');
    expect(compactHosts([...web(1, 128), ...web(131, 256)])).toBe('web[001-128,131-256]');
    expect(compactHosts(['web1', 'web2', 'web3', 'web10', 'web11'])).toBe('web[1-3,10-11]');
    // 001-099 are padded, 100-256 are not, all are three digits: one range.
    expect(compactHosts(web(1, 256))).toBe('web[001-256]');
  });

  it('keeps web7 and web007 apart, and names without digits as they are', () => {
    expect(compactHosts(['web7', 'web007', 'web8', 'web008'])).toBe('web[7-8], web[007-008]');
    expect(compactHosts(['db', 'web01', 'web02', 'cache'])).toBe('db, web[01-02], cache');
    expect(compactHosts(['web5'])).toBe('web5');
  });

  it('handles suffixes, IP addresses, order and duplicates', () => {
    expect(compactHosts(['n3.example', 'n1.example', 'n2.example'])).toBe('n[1-3].example');
    // The last number in a name is the one folded (as ClusterShell does).
    expect(compactHosts(['n1.dc1', 'n1.dc2'])).toBe('n1.dc[1-2]');
    expect(compactHosts(['10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.1'])).toBe('10.0.0.[1-3]');
  });

  it('falls back to the first few and a count when ranges do not help', () => {
    const names = Array.from(
      { length: 200 },
      (_, i) => `${String.fromCharCode(97 + (i % 26))}${'x'.repeat(i % 7)}-host`,
    );
    const text = compactHosts(names, 80);
    expect(text.length).toBeLessThanOrEqual(80);
    expect(text).toMatch(/… and \d+ more$/);
    expect(hostsWithCount(web(1, 128))).toBe('web[001-128] (128 hosts)');
    expect(hostsWithCount(['only'])).toBe('only');
  });

  it('always expands back to exactly the names given (400 random host sets)', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 400; round++) {
      const names = new Set<string>();
      const count = 1 + rnd(40);
      for (let i = 0; i < count; i++) {
        const n = rnd(130);
        const style = rnd(4);
        names.add(
          style === 0
            ? `web${n}`
            : style === 1
              ? `web${String(n).padStart(3, '0')}`
              : style === 2
                ? `db${n}.lan`
                : `h-${n}x`,
        );
      }
      const text = compactHosts([...names], 100_000);
      expect(new Set(expand(text)), text).toEqual(names);
      expect(expand(text).length, text).toBe(names.size);
    }
  });
});
