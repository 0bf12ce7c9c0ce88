// A throwaway PostgreSQL cluster for the store benchmark (the bench runs plain JS against dist/; the
// tests' TypeScript helper test/helpers/pg-cluster.ts does the same with more checks): initdb into
// a temp dir, pg_ctl on a free loopback port, as an unprivileged user when run as root.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './lib.mjs';

const USER = 'taskerpg';

function binDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const v = readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return v && join(root, v, 'bin');
}

const root = () => process.getuid?.() === 0;

function run(bin, tool, args) {
  const argv = root() ? ['runuser', '-u', USER, '--', join(bin, tool), ...args] : [join(bin, tool), ...args];
  return execFileSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    stdio: 'pipe',
    env: { ...process.env, LC_ALL: 'C' },
  });
}

/** `{ url, stop }`, or undefined when PostgreSQL is not installed. Durable settings (fsync on) as in production. */
export async function startPg() {
  const bin = binDir();
  if (!bin) return undefined;
  if (root()) {
    try {
      execFileSync('id', [USER], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
    }
  }
  // Not under lib.mjs's work dir: that is removed on exit, possibly before this server is stopped.
  const dir = mkdtempSync(join(tmpdir(), 'tasker-bench-pg-'));
  mkdirSync(join(dir, 'sock'), { recursive: true });
  writeFileSync(join(dir, 'pw'), 'bench\n');
  if (root()) {
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }));
    for (const p of [dir, join(dir, 'sock'), join(dir, 'pw')]) chownSync(p, uid, gid);
  }
  const data = join(dir, 'data');
  run(bin, 'initdb', [
    '-D',
    data,
    '-U',
    'tasker',
    `--pwfile=${join(dir, 'pw')}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--no-sync',
  ]);
  const port = await freePort();
  const opts = `-p ${port} -k ${join(dir, 'sock')} -c listen_addresses=127.0.0.1`;
  run(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  return { url: `postgres://tasker:bench@127.0.0.1:${port}/postgres`, stop };
}
