import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { storeLocation, type StoreLocation } from '../../src/store/location.js';
import { tempDir } from './cli.js';
import { freePort } from './ports.js';

/**
 * A throwaway PostgreSQL cluster: `initdb` into a temp dir, `pg_ctl` on a free loopback port (its
 * unix socket in the same dir), owned by an unprivileged user when the tests run as root (PostgreSQL
 * refuses to run as root). Binaries are Debian's `postgresql` package, /usr/lib/postgresql/N/bin.
 */
export interface PgCluster {
  /** `postgres://tasker:PASSWORD@127.0.0.1:PORT/postgres`. */
  url: string;
  password: string;
  port: number;
  dir: string;
  /** A new, empty database in the cluster, as a URL (one per test keeps tests independent). */
  createDatabase(name?: string): string;
  /** `pg_ctl stop -m immediate`: every connection drops at once, as in a crash. */
  stop(): void;
  start(): void;
  restart(): void;
  /** Stops the server and removes the cluster's directory. */
  destroy(): void;
}

const PG_USER = 'taskerpg';

/** The newest /usr/lib/postgresql/N/bin that has initdb and pg_ctl. */
export function pgBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

/** Why PostgreSQL tests cannot run here, or undefined. In CI (`CI=true`) a missing server is an error, not a skip. */
function whyNoPg(): string | undefined {
  const reason = pgBinDir() ? undefined : 'PostgreSQL is not installed (apt-get install -y postgresql)';
  if (reason && process.env.CI === 'true') throw new Error(`!!! PostgreSQL tests cannot run: ${reason}`);
  return reason;
}

function ensureUser(): void {
  try {
    execFileSync('id', [PG_USER], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', PG_USER], {
        stdio: 'pipe',
      });
    } catch (err) {
      // Another test file created it meanwhile: fine when it exists now.
      execFileSync('id', [PG_USER], { stdio: 'ignore' });
      void err;
    }
  }
}

const asRoot = (): boolean => process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the unprivileged user when we are root. */
function pgRun(bin: string, tool: string, args: string[]): string {
  const argv = asRoot()
    ? ['runuser', '-u', PG_USER, '--', join(bin, tool), ...args]
    : [join(bin, tool), ...args];
  try {
    return execFileSync(argv[0]!, argv.slice(1), {
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      timeout: 60_000,
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: err });
  }
}

async function startPgCluster(): Promise<PgCluster> {
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
  if (asRoot()) ensureUser();
  const dir = tempDir('tasker-pg-');
  const data = join(dir, 'data');
  const sockets = join(dir, 'sock');
  mkdirSync(sockets);
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' }).trim());
    for (const p of [dir, sockets, pwfile]) chownSync(p, uid, gid);
    chmodSync(dir, 0o700);
  }
  pgRun(bin, 'initdb', [
    ...['-D', data, '-U', 'tasker', `--pwfile=${pwfile}`],
    ...['--auth-host=scram-sha-256', '--auth-local=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
  ]);
  const port = await freePort();
  const opts = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const log = join(dir, 'server.log');
  const start = (): void =>
    void pgRun(bin, 'pg_ctl', ['-D', data, '-l', log, '-o', opts, '-w', '-t', '60', 'start']);
  const stop = (): void => void pgRun(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  const url = `postgres://tasker:${password}@127.0.0.1:${port}/postgres`;
  let made = 0;
  return {
    url,
    password,
    port,
    dir,
    createDatabase(name = `t${process.pid}_${++made}_${randomBytes(3).toString('hex')}`) {
      pgRun(bin, 'psql', [
        '-h',
        sockets,
        '-p',
        String(port),
        '-U',
        'tasker',
        '-d',
        'postgres',
        '-qAtc',
        `CREATE DATABASE ${name}`,
      ]);
      return `postgres://tasker:${password}@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    restart() {
      stop();
      start();
    },
    destroy() {
      try {
        stop();
      } catch {
        // Already stopped: removing the directory is what is left.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A `postgres://` URL as the store's location, as `--store URL` would give it. */
export function pgTarget(url: string): Extract<StoreLocation, { kind: 'postgres' }> {
  const spec = storeLocation(url, '/nonexistent');
  if (spec.kind !== 'ok' || spec.location.kind !== 'postgres') throw new Error(`not a postgres URL: ${url}`);
  return spec.location;
}

/**
 * One throwaway cluster for the test file that calls this at its top level: started before its tests,
 * destroyed after. `reason` is why PostgreSQL cannot run here (skip with it; it is printed, naming
 * `what` is skipped); `pg` stands for the cluster once the tests run.
 */
export function pgClusterForFile(what: string): { reason: string | undefined; pg: PgCluster } {
  const reason = whyNoPg();
  if (reason) console.error(`!!! ${what} skipped: ${reason}`);
  let started: PgCluster | undefined;
  beforeAll(async () => {
    if (!reason) started = await startPgCluster();
  });
  afterAll(() => started?.destroy());
  const live = (): PgCluster => {
    if (!started) throw new Error(`no PostgreSQL cluster for ${what}: ${reason ?? 'not started yet'}`);
    return started;
  };
  const pg: PgCluster = {
    get url() {
      return live().url;
    },
    get password() {
      return live().password;
    },
    get port() {
      return live().port;
    },
    get dir() {
      return live().dir;
    },
    createDatabase: (name) => live().createDatabase(name),
    stop: () => live().stop(),
    start: () => live().start(),
    restart: () => live().restart(),
    destroy: () => live().destroy(),
  };
  return { reason, pg };
}
