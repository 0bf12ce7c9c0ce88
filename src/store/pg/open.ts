import type { StoreLocation } from '../location.js';
import { connectPg } from './connect.js';
import { migratePg } from './migrations.js';
import { PgHistoryStore } from './pg-store.js';

/** Connects (one round trip), migrates under the advisory lock, and wraps the pool as the history store. */
export async function openPgStore(
  location: Extract<StoreLocation, { kind: 'postgres' }>,
): Promise<PgHistoryStore> {
  const pool = await connectPg(location);
  try {
    await migratePg(pool, location);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return new PgHistoryStore(pool, location);
}
