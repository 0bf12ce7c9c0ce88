import { join, resolve } from 'node:path';

/**
 * Where the run history lives: the SQLite file of a state home (the default), another SQLite file,
 * or a PostgreSQL database. `label` is what messages print: a PostgreSQL URL without its password.
 */
export type StoreLocation =
  | { kind: 'sqlite'; file: string; label: string }
  | { kind: 'postgres'; url: string; label: string; hostPort: string };

export type StoreSpec = { kind: 'ok'; location: StoreLocation } | { kind: 'invalid'; message: string };

export function historyFile(home: string): string {
  return join(home, 'history.db');
}

/**
 * `--store` / `TASKER_STORE`: empty means the state home's SQLite file; `postgres://` or
 * `postgresql://` selects PostgreSQL; `sqlite:PATH` or a plain path names a SQLite file.
 */
export function storeLocation(spec: string | undefined, home: string): StoreSpec {
  const text = spec?.trim() ?? '';
  if (text === '') return sqlite(historyFile(home));
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return postgres(text);
  if (scheme === 'sqlite') return sqlite(resolve(text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')));
  if (scheme !== undefined && scheme.length > 1)
    return invalid(
      `store "${maskUrl(text)}": unsupported scheme "${scheme}:"; use postgres://USER:PASSWORD@HOST:PORT/DB, sqlite:PATH, or a file path`,
    );
  return sqlite(resolve(text));
}

function sqlite(file: string): StoreSpec {
  return { kind: 'ok', location: { kind: 'sqlite', file, label: file } };
}

function invalid(message: string): StoreSpec {
  return { kind: 'invalid', message };
}

function postgres(url: string): StoreSpec {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid(
      `store "${maskUrl(url)}" is not a valid URL; expected postgres://USER:PASSWORD@HOST:PORT/DB (percent-encode special characters)`,
    );
  }
  const host = parsed.hostname || 'localhost';
  const hostPort = `${host}:${parsed.port || '5432'}`;
  const db = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
  const label = `postgres://${user}${hostPort}${db ? `/${db}` : ''}`;
  return { kind: 'ok', location: { kind: 'postgres', url, label, hostPort } };
}

/** Every `scheme://user:password@` in `text` with the password replaced by `***`. */
export function maskUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
}
