/** A wrong flag or argument: the CLI prints the message and exits 2 without running anything. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** commander's accumulator for repeatable flags (`--var a=1 --var b=2`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--var key=value` pairs into a map; the flag is named in every error. */
export function parseVarFlags(pairs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var "${pair}": expected key=value, e.g. --var release=v2.4.1`);
    const key = pair.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) || key === '__proto__')
      throw new UsageError(
        `--var "${pair}": "${key}" is not a valid variable name (letters, digits, _ and -)`,
      );
    vars[key] = pair.slice(eq + 1);
  }
  return vars;
}

export function parsePositiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} "${text}": expected a whole number >= 1`);
  return n;
}

export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${flag} "${text}": expected one of ${choices.join(', ')}`);
}
