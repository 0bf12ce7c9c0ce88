import { describe, expect, it } from 'vitest';
import { createLineSplitter } from '../../../src/output/lines.js';
import { stripAnsi } from '../../../src/report/ansi.js';
import { HEAD_LINES, LINE_CHARS, OutputGroups, TAIL_LINES } from '../../../src/report/output-groups.js';
import { stepResult } from './builders.js';

type Out = [stream: 'stdout' | 'stderr', line: string][];

/** Feeds each host's lines, ends every host ok (or with the given result), returns the groups. */
function group(hosts: Record<string, Out>, g = new OutputGroups(), failed: string[] = []) {
  for (const [host, lines] of Object.entries(hosts)) for (const [s, l] of lines) g.line(host, s, l);
  for (const host of Object.keys(hosts))
    g.end(
      stepResult({
        id: 'x',
        host,
        ...(failed.includes(host) ? { status: 'failed' as const, exitCode: 1 } : {}),
      }),
    );
  return g.take();
}

/** What the runner makes of raw bytes: lines through the real splitter. */
function linesOf(bytes: Buffer): Out {
  const out: Out = [];
  const s = createLineSplitter((l) => out.push(['stdout', l]));
  s.push(bytes);
  s.end();
  return out;
}

const hostsOf = (groups: ReturnType<typeof group>) => groups.map((g) => g.hosts.sort());

describe('OutputGroups', () => {
  it('shows identical output once with every host, and keeps different outputs apart', () => {
    const same: Out = [['stdout', 'up 3 days']];
    const groups = group({ a: same, b: same, c: [['stdout', 'up 4 days']], d: same });
    expect(hostsOf(groups)).toEqual([['a', 'b', 'd'], ['c']]);
    expect(groups[0]!.head).toEqual([{ stream: 'stdout', text: 'up 3 days' }]);
  });

  it('keeps the stream, the line boundaries and the outcome in the identity', () => {
    expect(hostsOf(group({ a: [['stdout', 'x']], b: [['stderr', 'x']] }))).toHaveLength(2);
    expect(
      hostsOf(
        group({
          a: [
            ['stdout', 'ab'],
            ['stdout', 'c'],
          ],
          b: [
            ['stdout', 'a'],
            ['stdout', 'bc'],
          ],
        }),
      ),
    ).toHaveLength(2);
    expect(
      hostsOf(
        group({
          a: [['stdout', 'a\u0000b']],
          b: [
            ['stdout', 'a'],
            ['stdout', 'b'],
          ],
        }),
      ),
    ).toHaveLength(2);
    // Same output, one host failed: failures are never folded into the ok group.
    const groups = group({ a: [['stdout', 'x']], b: [['stdout', 'x']], c: [['stdout', 'x']] }, undefined, [
      'b',
    ]);
    expect(hostsOf(groups)).toEqual([['a', 'c'], ['b']]);
    expect(groups[1]!.result.status).toBe('failed');
  });

  it('groups what looks the same: a missing trailing newline or \\r\\n makes no line of difference', () => {
    const groups = group({
      a: linesOf(Buffer.from('one\ntwo\n')),
      b: linesOf(Buffer.from('one\ntwo')),
      c: linesOf(Buffer.from('one\r\ntwo\r\n')),
      d: linesOf(Buffer.from('one\ntwo\n\n')),
    });
    // An extra empty line is a line: d is apart.
    expect(hostsOf(groups)).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('ANSI colours: apart where they are shown (pretty), together where stripped (plain)', () => {
    const hosts: Record<string, Out> = { a: [['stdout', '\u001b[32mok\u001b[0m']], b: [['stdout', 'ok']] };
    expect(hostsOf(group(hosts))).toHaveLength(2);
    expect(hostsOf(group(hosts, new OutputGroups(stripAnsi)))).toEqual([['a', 'b']]);
  });

  it('binary output: bytes that decode to the same text are shown, and grouped, as that text', () => {
    const groups = group({
      a: linesOf(Buffer.from([0x41, 0xff, 0x0a])),
      b: linesOf(Buffer.from([0x41, 0xfe, 0x0a])),
      c: linesOf(Buffer.from([0x41, 0x00, 0x0a])),
    });
    expect(hostsOf(groups)).toEqual([['a', 'b'], ['c']]);
    expect(groups[0]!.head[0]!.text).toBe('A\ufffd');
  });

  it('a huge output keeps only head and tail lines, yet two that differ only in the middle stay apart', () => {
    const g = new OutputGroups();
    const n = 200_000;
    for (const host of ['a', 'b', 'c'])
      for (let i = 0; i < n; i++)
        g.line(host, 'stdout', host === 'c' && i === n / 2 ? 'CHANGED' : `line ${i}`);
    for (const host of ['a', 'b', 'c']) g.end(stepResult({ id: 'x', host }));
    const groups = g.take();
    expect(hostsOf(groups)).toEqual([['a', 'b'], ['c']]);
    for (const grp of groups) {
      expect(grp.head).toHaveLength(HEAD_LINES);
      expect(grp.tail).toHaveLength(TAIL_LINES);
      expect(grp.omitted).toBe(n - HEAD_LINES - TAIL_LINES);
      expect(grp.tail.at(-1)!.text).toBe(`line ${n - 1}`);
    }
  });

  it('cuts a very long line for display but hashes all of it', () => {
    const long = 'x'.repeat(5 * LINE_CHARS);
    const groups = group({ a: [['stdout', long]], b: [['stdout', `${long}y`]] });
    expect(hostsOf(groups)).toHaveLength(2);
    expect(groups[0]!.head[0]!.text.length).toBeLessThan(LINE_CHARS + 40);
    expect(groups[0]!.head[0]!.text).toMatch(/… \(\d+ more characters\)$/);
  });

  it('hosts with no output form their own group; take() forgets what it returned', () => {
    const g = new OutputGroups();
    const groups = group({ a: [], b: [], c: [['stdout', 'x']] }, g);
    expect(hostsOf(groups)).toEqual([['a', 'b'], ['c']]);
    expect(groups[0]!.lines).toBe(0);
    expect(g.take()).toEqual([]);
    expect(g.size).toBe(0);
  });
});
