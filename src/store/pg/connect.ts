import type { Pool, PoolConfig } from 'pg';
import { StateFault, faultCode } from '../faults.js';
import { maskUrl } from '../location.js';

/** The PostgreSQL side of a store location (see location.ts). */
export interface PgTarget {
  url: string;
  /** The URL without its password: what every message names. */
  label: string;
  hostPort: string;
}

/** Every tasker table lives in this schema, so a shared database keeps its own names. */
export const PG_SCHEMA = 'tasker';

const INT8_OID = 20;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A small pool to the database, checked with one round trip: an unreachable server, a wrong
 * password or a missing database is a StateFault naming host:port and the fix (never the password).
 * `pg` is loaded here, so SQLite users never load it.
 */
export async function connectPg(target: PgTarget, o: { max?: number } = {}): Promise<Pool> {
  const { default: pg } = await import('pg');
  const config: PoolConfig = {
    connectionString: target.url,
    max: o.max ?? 4,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'tasker',
    options: `-c search_path=${PG_SCHEMA}`,
    // Epoch milliseconds and sequence numbers are BIGINT: numbers, not strings (all stay below 2^53).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((v: string) => unknown) =>
        oid === INT8_OID && format !== 'binary'
          ? Number
          : (pg.types.getTypeParser(oid, format ?? 'text') as (
              v: string,
            ) => unknown)) as typeof pg.types.getTypeParser,
    },
  };
  const pool = new pg.Pool(config);
  // An idle connection the server drops (a restart) emits here; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw pgFault(err, target, 'reach');
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown: the server is stopping
  '57P02',
  '57P03', // cannot_connect_now: starting up or shutting down
]);

/** Whether `err` says the server is gone or not there (a retry may succeed), not that a statement is wrong. */
export function isPgUnavailable(err: unknown): boolean {
  const code = faultCode(err);
  if (code !== undefined && UNREACHABLE.has(code)) return true;
  const text = err instanceof Error ? err.message : String(err);
  return /Connection terminated|timeout expired|connection timeout|Client has encountered a connection error|not queryable/i.test(
    text,
  );
}

/** A PostgreSQL error as one line naming the server (host:port) and the fix; the password is never in it. */
export function pgFault(
  err: unknown,
  target: PgTarget,
  action: 'reach' | 'migrate' | 'write' | 'read',
): StateFault {
  if (err instanceof StateFault) return err;
  const code = faultCode(err) ?? 'error';
  const said = maskUrl((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '');
  const where = `the PostgreSQL history at ${target.hostPort} (${target.label})`;
  const fix = ' (--store or TASKER_STORE)';
  let message: string;
  if (code === '28P01' || code === '28000')
    message = `cannot log in to ${where}: ${said} (${code}); fix the user and password in the store URL${fix}`;
  else if (code === '3D000')
    message = `cannot open ${where}: ${said} (${code}); create it (createdb) or fix the database name in the store URL${fix}`;
  else if (isPgUnavailable(err))
    message = `cannot ${action === 'reach' ? 'reach' : `${action} (server unavailable)`} ${where}: ${said} (${code}); start the server or fix the host and port in the store URL${fix}`;
  else message = `cannot ${action} ${where}: ${said} (${code})`;
  return new StateFault(message, target.label, code, { cause: err });
}
