const MAX_NAME_LENGTH = 200;

/**
 * Makes `<step>[@host][.attempt]` safe as one file name: no separators, no leading dot (hidden or
 * `..`), bounded length. Letters, digits, `.`, `_`, `-` and `@` are kept; anything else becomes `_`.
 */
export function safeFileName(baseName: string): string {
  const cleaned = baseName
    .replace(/[^A-Za-z0-9._@-]/g, '_')
    .replace(/^\.+/, (dots) => '_'.repeat(dots.length))
    .slice(0, MAX_NAME_LENGTH);
  return cleaned === '' ? 'step' : cleaned;
}
