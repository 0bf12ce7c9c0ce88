import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import { listFiles, type FilePlan } from '../copy-files.js';
import { ExecError, type CopyOutcome, type CopyRequest } from '../types.js';
import { leaseChannel, openExec, openSftp } from './open-channel.js';
import type { Conn } from './pool.js';
import { quoteArgv } from './quote.js';

const sftpCall = <T>(f: (cb: (err: Error | null | undefined, v: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => f((err, v) => (err ? reject(err) : resolve(v))));

const remoteStat = (sftp: SFTPWrapper, path: string): Promise<Stats | undefined> =>
  sftpCall<Stats>((cb) => sftp.stat(path, cb)).catch(() => undefined);

/** `sha256sum` on the remote side for files whose size already matches; unknown on any failure. */
async function remoteHashes(conn: Conn, paths: string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  if (paths.length === 0) return hashes;
  const lease = await leaseChannel(conn, () =>
    openExec(conn, `sha256sum -- ${quoteArgv(paths)} 2>/dev/null`, false),
  );
  let out = '';
  await new Promise<void>((resolve) => {
    lease.channel.on('data', (d: Buffer) => (out += d.toString('utf8')));
    lease.channel.stderr.resume();
    lease.channel.on('close', () => resolve());
    lease.channel.end();
  }).finally(() => lease.release());
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) hashes.set(m[2], m[1]);
  }
  return hashes;
}

async function mkdirs(sftp: SFTPWrapper, dir: string, made: Set<string>): Promise<void> {
  if (dir === '/' || dir === '.' || made.has(dir)) return;
  if (!(await remoteStat(sftp, dir))) {
    await mkdirs(sftp, posix.dirname(dir), made);
    await sftpCall<void>((cb) => sftp.mkdir(dir, (err) => cb(err, undefined))).catch(async (err: unknown) => {
      if (!(await remoteStat(sftp, dir))) throw err;
    });
  }
  made.add(dir);
}

async function upload(
  sftp: SFTPWrapper,
  f: FilePlan,
  mode: number | undefined,
  made: Set<string>,
): Promise<void> {
  await mkdirs(sftp, posix.dirname(f.remote), made);
  await sftpCall<void>((cb) => sftp.fastPut(f.local, f.remote, (err) => cb(err, undefined)));
  if (mode !== undefined)
    await sftpCall<void>((cb) => sftp.chmod(f.remote, mode, (err) => cb(err, undefined)));
}

async function withSftp<T>(conn: Conn, use: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
  const lease = await leaseChannel(conn, () => openSftp(conn));
  try {
    return await use(lease.channel);
  } finally {
    lease.channel.end();
    lease.release();
  }
}

/** Files whose remote size and sha256 already match, with the remote mode of each file. */
async function inspectRemote(
  conn: Conn,
  files: FilePlan[],
): Promise<{ same: Set<string>; modes: Map<string, number> }> {
  const stats = await withSftp(conn, (sftp) => Promise.all(files.map((f) => remoteStat(sftp, f.remote))));
  const modes = new Map<string, number>();
  stats.forEach((st, i) => st && modes.set(files[i]!.remote, st.mode & 0o7777));
  const sized = files.filter((f, i) => stats[i]?.size === f.size);
  const hashes = await remoteHashes(
    conn,
    sized.map((f) => f.remote),
  );
  return {
    same: new Set(sized.filter((f) => hashes.get(f.remote) === f.sha256).map((f) => f.remote)),
    modes,
  };
}

async function applyChanges(
  conn: Conn,
  req: CopyRequest,
  files: FilePlan[],
  same: Set<string>,
  modes: Map<string, number>,
): Promise<CopyOutcome> {
  const outcome: CopyOutcome = { changed: false, files: 0, bytes: 0 };
  const made = new Set<string>();
  await withSftp(conn, async (sftp) => {
    for (const f of files) {
      if (req.signal.aborted)
        throw new ExecError(
          'copy',
          `copy to ${conn.spec.label} was cancelled after ${outcome.files} file(s)`,
        );
      if (same.has(f.remote)) {
        if (req.mode === undefined || modes.get(f.remote) === req.mode) continue;
        await sftpCall<void>((cb) => sftp.chmod(f.remote, req.mode!, (err) => cb(err, undefined)));
      } else {
        await upload(sftp, f, req.mode, made).catch((err: unknown) => {
          throw new ExecError(
            'copy',
            `cannot write ${f.remote} on ${conn.spec.label} as ${conn.spec.user}: ${String(err)}; check the dest path and its permissions`,
            { cause: err },
          );
        });
        outcome.files++;
        outcome.bytes += f.size;
      }
      outcome.changed = true;
    }
  });
  return outcome;
}

/** SFTP upload of a file or a directory tree; files whose size and sha256 already match are left alone. */
export async function copyToRemote(conn: Conn, req: CopyRequest): Promise<CopyOutcome> {
  const files = await listFiles(req.src, req.dest);
  const { same, modes } = await inspectRemote(conn, files);
  return applyChanges(conn, req, files, same, modes);
}
