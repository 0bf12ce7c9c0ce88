/**
 * Host lists for people: `web[001-128,130], db1` when names end in numbers, else the names; past
 * `maxChars` the first few and a count (`a, b, c … and 253 more`). Every name given appears once
 * in the full form, and the form expands back to exactly the names (tested both ways).
 */
export function compactHosts(names: readonly string[], maxChars = 120): string {
  const unique = [...new Set(names)];
  const full = families(unique).map(render).join(', ');
  if (full.length <= maxChars) return full;
  const shown: string[] = [];
  let length = 0;
  for (const name of unique) {
    if (shown.length > 0 && length + name.length + 2 > maxChars - 20) break;
    shown.push(name);
    length += name.length + 2;
  }
  return `${shown.join(', ')} … and ${unique.length - shown.length} more`;
}

/** `web[001-128] (128 hosts)`, or the one name. */
export function hostsWithCount(names: readonly string[], maxChars = 120): string {
  const n = new Set(names).size;
  return n === 1 ? compactHosts(names, maxChars) : `${compactHosts(names, maxChars)} (${n} hosts)`;
}

interface Family {
  prefix: string;
  suffix: string;
  /** Digits as written, in first-seen order; `width` set when all are zero-padded to it. */
  numbers: string[];
  width?: number;
}

const NUMBERED = /^(.*?)(\d+)(\D*)$/;

/** Groups names by prefix, suffix and number style (the last number in a name varies), in first-seen order; names without digits stand alone. */
function families(names: readonly string[]): (Family | string)[] {
  const out: (Family | string)[] = [];
  const byKey = new Map<string, Family>();
  for (const name of names) {
    const m = NUMBERED.exec(name);
    if (!m || m[2]!.length > 15) {
      out.push(name);
      continue;
    }
    const [, prefix = '', digits = '', suffix = ''] = m;
    // Zero-padded numbers keep their width (web007 is not web7); unpadded ones share one family.
    const padded = digits.length > 1 && digits.startsWith('0');
    const key = `${prefix}\u0000${suffix}\u0000${padded ? digits.length : 'n'}`;
    let f = byKey.get(key);
    if (!f) {
      f = { prefix, suffix, numbers: [], ...(padded ? { width: digits.length } : {}) };
      byKey.set(key, f);
      out.push(f);
    }
    f.numbers.push(digits);
  }
  return mergeWidths(out);
}

/** `web001`–`web099` (padded, width 3) and `web100`–`web256` (unpadded, width 3) are one range. */
function mergeWidths(items: (Family | string)[]): (Family | string)[] {
  const padded = items.filter((f): f is Family => typeof f !== 'string' && f.width !== undefined);
  return items.filter((f) => {
    if (typeof f === 'string' || f.width !== undefined) return true;
    const into = padded.find(
      (p) => p.prefix === f.prefix && p.suffix === f.suffix && f.numbers.every((d) => d.length === p.width),
    );
    if (!into) return true;
    into.numbers.push(...f.numbers);
    return false;
  });
}

function render(f: Family | string): string {
  if (typeof f === 'string') return f;
  if (f.numbers.length === 1) return `${f.prefix}${f.numbers[0]}${f.suffix}`;
  const values = f.numbers.map(Number).sort((a, b) => a - b);
  const text = (v: number): string => (f.width ? String(v).padStart(f.width, '0') : String(v));
  const ranges: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    ranges.push(j === i ? text(values[i]!) : `${text(values[i]!)}-${text(values[j]!)}`);
    i = j + 1;
  }
  return `${f.prefix}[${ranges.join(',')}]${f.suffix}`;
}
