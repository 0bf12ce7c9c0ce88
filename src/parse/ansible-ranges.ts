/** Expanding more names than this from one pattern is refused (a typo like `[1:99999999]`). */
const MAX_RANGE_HOSTS = 10_000;

export type Expanded =
  | { kind: 'ok'; names: string[]; warning?: { message: string; hint: string } }
  | { kind: 'error'; message: string; hint: string };

const RANGE = /\[([^\]:]*):([^\]:]*)(?::([^\]]*))?\]/;

/** Ansible host ranges: `web[01:03]`, `db-[a:c]`, `n[0:10:5]`; several ranges multiply. */
export function expandHostPattern(pattern: string): Expanded {
  const m = RANGE.exec(pattern);
  if (!m) return { kind: 'ok', names: [pattern] };
  const items = rangeItems(m[1]!, m[2]!, m[3]);
  if (items.kind === 'error') return items;
  const head = pattern.slice(0, m.index);
  const tail = expandHostPattern(pattern.slice(m.index + m[0].length));
  if (tail.kind === 'error') return tail;
  const warning = items.warning ?? tail.warning;
  if (warning) return { kind: 'ok', names: [], warning };
  if (items.names.length * tail.names.length > MAX_RANGE_HOSTS)
    return {
      kind: 'error',
      message: `host range "${pattern}" expands to more than ${MAX_RANGE_HOSTS} hosts`,
      hint: 'split it into smaller ranges',
    };
  return { kind: 'ok', names: items.names.flatMap((i) => tail.names.map((t) => head + i + t)) };
}

function rangeItems(begin: string, end: string, strideText: string | undefined): Expanded {
  const stride = strideText === undefined || strideText === '' ? 1 : Number(strideText);
  if (!Number.isInteger(stride) || stride < 1)
    return bad(`the stride "${strideText}" is not a whole number >= 1`, 'write [1:9:2]');
  const b = begin === '' ? '0' : begin;
  if (/^\d+$/.test(b) && /^\d+$/.test(end)) return numeric(b, end, stride);
  if (/^[a-zA-Z]$/.test(b) && /^[a-zA-Z]$/.test(end)) return letters(b, end, stride);
  return bad(
    `the range [${begin}:${end}] mixes or misuses bounds`,
    'use numbers ([01:20]) or single letters ([a:f])',
  );
}

function numeric(begin: string, end: string, stride: number): Expanded {
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
  if (width > 0 && end.length !== width)
    return bad(
      `[${begin}:${end}]: zero-padded bounds must have the same width`,
      `write [${begin}:${end.padStart(width, '0')}]`,
    );
  const from = Number(begin);
  const to = Number(end);
  // Ansible's range() of a countdown is empty: the file is read, with no host from this line.
  if (from > to)
    return {
      kind: 'ok',
      names: [],
      warning: {
        message: `host range [${begin}:${end}] counts down, so it names no host (as in Ansible)`,
        hint: `write [${end}:${begin}]`,
      },
    };
  if ((to - from) / stride >= MAX_RANGE_HOSTS)
    return bad(
      `[${begin}:${end}] expands to more than ${MAX_RANGE_HOSTS} hosts`,
      'split it into smaller ranges',
    );
  const names: string[] = [];
  for (let i = from; i <= to; i += stride) names.push(String(i).padStart(width, '0'));
  return { kind: 'ok', names };
}

/** Python's `string.ascii_letters`: Ansible's letter ranges run a–z then A–Z, so `[x:B]` is x y z A B. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function letters(begin: string, end: string, stride: number): Expanded {
  const from = LETTERS.indexOf(begin);
  const to = LETTERS.indexOf(end);
  if (from > to) return bad(`[${begin}:${end}] counts down`, `write [${end}:${begin}]`);
  const names: string[] = [];
  for (let c = from; c <= to; c += stride) names.push(LETTERS[c]!);
  return { kind: 'ok', names };
}

function bad(message: string, hint: string): Expanded {
  return { kind: 'error', message: `host range ${message}`, hint };
}
