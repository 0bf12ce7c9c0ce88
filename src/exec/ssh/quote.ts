/** Quotes one word for a POSIX shell: single quotes, with embedded `'` written as `'\''`. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins argv into one command line the remote POSIX shell splits back into the same words. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** True when `name` can be assigned in a POSIX shell (`NAME=value`). */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
