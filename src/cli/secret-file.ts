import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/**
 * `--secret-file FILE`: `NAME=value` lines (`export ` prefix, quotes, `#` comments and blank lines
 * allowed), so cron jobs need not put secrets in the crontab. Errors name file:line.
 */
export function readSecretFile(path: string, warn: (message: string) => void): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `--secret-file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  // Secrets readable by group or others are a leak waiting to happen; say so, but run.
  if ((statSync(path).mode & 0o077) !== 0)
    warn(`tasker: warning: --secret-file ${path} is readable by other users; chmod 600 it`);
  const values: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new UsageError(`${path}:${i + 1}:1: expected NAME=value (--secret-file)`);
    values[m[1]!] = unquote(m[2]!);
  });
  return values;
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))))
    return v.slice(1, -1);
  return v;
}
