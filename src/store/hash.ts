import { createHash } from 'node:crypto';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The same for the same set of `--var`s in any order; values are hashed, never stored. */
export function varsHash(vars: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(vars)
    .sort()
    .map((k) => [k, vars[k]]);
  return sha256(JSON.stringify(sorted));
}
