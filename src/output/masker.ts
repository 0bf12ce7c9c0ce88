/** Replaces secret values with `***` in text; the byte-stream form lives in stream-masker.ts. */

export const MASK = '***';

/** Values shorter than this are not masked: masking `1` or `ab` would shred output and hides little. */
export const MIN_SECRET_LENGTH = 3;

export interface Masker {
  mask(text: string): string;
  /** The values that are masked: deduplicated, at least MIN_SECRET_LENGTH characters, longest first. */
  readonly secrets: readonly string[];
}

export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Longest first so that when one secret contains another the whole longer value is hidden. */
function normalizeSecrets(values: readonly string[]): string[] {
  const unique = [...new Set(values)].filter((v) => v.length >= MIN_SECRET_LENGTH);
  return unique.sort((a, b) => Buffer.byteLength(b) - Buffer.byteLength(a) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The forms a secret takes in a rendered command: as is (a quoted here-document), and escaped the way
 * src/expr/shell-quote.ts quotes a value (inside single quotes and in the argv display, inside double
 * quotes), each also with one level of backquote escaping: `pa$$w'rd` must not show through.
 */
function quotedForms(secret: string): string[] {
  const quoted = [
    secret,
    secret.replaceAll("'", `'\\''`),
    secret.replace(/[\\"$`]/g, '\\$&'),
    secret.replace(/[\\$`]/g, '\\$&'),
  ];
  return [...quoted, ...quoted.map((q) => q.replace(/[\\$`]/g, '\\$&'))];
}

export function createMasker(secretValues: readonly string[]): Masker {
  const secrets = normalizeSecrets(secretValues);
  if (secrets.length === 0) return { secrets, mask: (text) => text };
  // Alternation tries the longest form first at each position, scanning left to right.
  const forms = normalizeSecrets(secrets.flatMap(quotedForms));
  const pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  return { secrets, mask: (text) => text.replace(pattern, MASK) };
}
