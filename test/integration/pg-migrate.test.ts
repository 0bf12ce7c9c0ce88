import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { connectPg } from '../../src/store/pg/connect.js';
import { migratePg, PG_MIGRATIONS } from '../../src/store/pg/migrations.js';
import { StateFault } from '../../src/store/faults.js';
import { collect, repoRoot } from '../helpers/cli.js';
import { pgClusterForFile, pgTarget as target } from '../helpers/pg-cluster.js';
import { freePort } from '../helpers/ports.js';

const { reason, pg } = pgClusterForFile('PostgreSQL tests');

async function versions(url: string): Promise<{ version: number; name: string }[]> {
  const pool = await connectPg(target(url));
  try {
    const { rows } = await pool.query<{ version: number; name: string }>(
      'SELECT version, name FROM tasker.schema_version ORDER BY version',
    );
    return rows;
  } finally {
    await pool.end();
  }
}

describe.skipIf(reason !== undefined)('PostgreSQL migrations (real throwaway cluster)', () => {
  it('migrates a fresh database once, and again is a no-op', async () => {
    const url = pg.createDatabase();
    const pool = await connectPg(target(url));
    try {
      expect(await migratePg(pool, target(url))).toBe(PG_MIGRATIONS.length);
      expect(await migratePg(pool, target(url))).toBe(PG_MIGRATIONS.length);
    } finally {
      await pool.end();
    }
    expect((await versions(url)).map((v) => v.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
  });

  it('ten connections migrating a fresh database at once: one migrates, none fails, each version once', async () => {
    const url = pg.createDatabase();
    const pools = await Promise.all(Array.from({ length: 10 }, () => connectPg(target(url), { max: 1 })));
    try {
      const got = await Promise.allSettled(pools.map((p) => migratePg(p, target(url))));
      expect(got.filter((g) => g.status === 'rejected')).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
    expect(await versions(url)).toHaveLength(PG_MIGRATIONS.length);
  });

  it('six processes starting at once on a fresh database all migrate without error', async () => {
    const url = pg.createDatabase();
    const script = `
      const { connectPg } = await import('./dist/src/store/pg/connect.js');
      const { migratePg } = await import('./dist/src/store/pg/migrations.js');
      const { storeLocation } = await import('./dist/src/store/location.js');
      const t = storeLocation(process.env.URL, '/x').location;
      const pool = await connectPg(t, { max: 1 });
      try { console.log(await migratePg(pool, t)); } finally { await pool.end(); }`;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        collect(
          spawn(process.execPath, ['--input-type=module', '-e', script], {
            cwd: repoRoot,
            env: { ...process.env, URL: url },
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        ),
      ),
    );
    for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await versions(url)).toHaveLength(PG_MIGRATIONS.length);
  });

  it('an appended migration upgrades a database at the previous version', async () => {
    const url = pg.createDatabase();
    const pool = await connectPg(target(url));
    try {
      await migratePg(pool, target(url));
      const next = [...PG_MIGRATIONS, { name: 'test: one more table', sql: 'CREATE TABLE extra (x INT)' }];
      expect(await migratePg(pool, target(url), next)).toBe(next.length);
      await pool.query('INSERT INTO extra VALUES (1)');
    } finally {
      await pool.end();
    }
    expect((await versions(url)).at(-1)).toEqual({
      version: PG_MIGRATIONS.length + 1,
      name: 'test: one more table',
    });
  });

  it('refuses a database migrated by a newer tasker, and changes nothing', async () => {
    const url = pg.createDatabase();
    const pool = await connectPg(target(url));
    try {
      const next = [...PG_MIGRATIONS, { name: 'future', sql: 'CREATE TABLE future (x INT)' }];
      await migratePg(pool, target(url), next);
      const err = await migratePg(pool, target(url)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateFault);
      expect((err as StateFault).code).toBe('SCHEMA_NEWER');
      expect((err as Error).message).toMatch(/newer than this tasker understands.*upgrade tasker/);
    } finally {
      await pool.end();
    }
  });

  it('a failing migration rolls back whole: no half-made tables, no version recorded', async () => {
    const url = pg.createDatabase();
    const pool = await connectPg(target(url));
    try {
      await migratePg(pool, target(url));
      const bad = [
        ...PG_MIGRATIONS,
        { name: 'bad', sql: 'CREATE TABLE half (x INT); SELECT nope FROM nowhere' },
      ];
      await expect(migratePg(pool, target(url), bad)).rejects.toThrow(
        /cannot migrate the PostgreSQL history/,
      );
      const { rows } = await pool.query("SELECT to_regclass('tasker.half') AS t");
      expect(rows[0]).toEqual({ t: null });
    } finally {
      await pool.end();
    }
    expect(await versions(url)).toHaveLength(PG_MIGRATIONS.length);
  });

  it('an unreachable server, a wrong password, a missing database: one line naming host:port, never the password', async () => {
    const port = await freePort();
    const cases = [
      {
        url: `postgres://tasker:s3cret-pw@127.0.0.1:${port}/x`,
        says: /cannot reach the PostgreSQL history at 127\.0\.0\.1:\d+.*ECONNREFUSED.*start the server/,
      },
      {
        url: pg.url.replace(pg.password, 'wrong-s3cret-pw'),
        says: /cannot log in .*28P01.*fix the user and password/,
      },
      {
        url: pg.url.replace(/\/postgres$/, '/nodb'),
        says: /database "nodb" does not exist.*3D000.*createdb/,
      },
    ];
    for (const c of cases) {
      const err = await connectPg(target(c.url)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateFault);
      const message = (err as Error).message;
      expect(message).toMatch(c.says);
      expect(message.split('\n')).toHaveLength(1);
      expect(message).not.toContain('s3cret');
      expect(message).not.toContain(pg.password);
    }
  });
});
