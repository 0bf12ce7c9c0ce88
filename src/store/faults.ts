/**
 * A state home (or report path) that cannot be used: a full disk, a read-only or unwritable
 * directory, a damaged or newer history. One line naming the path and the fix; the CLI prints it
 * without a stack trace.
 */
export class StateFault extends Error {
  override name = 'StateFault';
  constructor(
    message: string,
    readonly path: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The SQLite driver is a native module built for one Node.js ABI; run under another Node (nvm, a
 * system upgrade) it fails to load. That is the install, not the history: say which and how to fix.
 */
export function driverFault(err: unknown): StateFault | undefined {
  const message = err instanceof Error ? err.message : '';
  const code = (err as { code?: unknown } | null)?.code;
  if (code !== 'ERR_DLOPEN_FAILED' && !/NODE_MODULE_VERSION/.test(message)) return undefined;
  const built = /NODE_MODULE_VERSION (\d+)/.exec(message)?.[1];
  return new StateFault(
    `the SQLite driver (better-sqlite3) does not load in Node.js ${process.version}${built ? `: it was built for NODE_MODULE_VERSION ${built}, this Node needs ${process.versions.modules}` : `: ${message.split('\n')[0] ?? ''}`}; run \`npm rebuild better-sqlite3\` with this Node where tasker is installed, or run tasker with the Node it was installed with`,
    'better-sqlite3',
    'DRIVER',
    { cause: err },
  );
}

const FIXES: Readonly<Record<string, { what: string; fix: string }>> = {
  ENOSPC: { what: 'no space left on device', fix: 'free space on that filesystem' },
  EDQUOT: { what: 'disk quota exceeded', fix: 'free space within your quota' },
  EROFS: { what: 'read-only filesystem', fix: 'use a writable location' },
  EACCES: { what: 'permission denied', fix: 'make it writable by this user' },
  EPERM: { what: 'operation not permitted', fix: 'make it writable by this user' },
  ENOENT: { what: 'no such file or directory', fix: 'create the directory first' },
  ENOTDIR: { what: 'a part of the path is not a directory', fix: 'fix the path' },
  EISDIR: { what: 'it is a directory', fix: 'name a file, not a directory' },
  EMFILE: { what: 'too many open files', fix: 'raise the open-file limit (ulimit -n)' },
  EIO: { what: 'input/output error', fix: 'check the disk' },
  SQLITE_FULL: { what: 'no space left on device', fix: 'free space on that filesystem' },
  SQLITE_READONLY: { what: 'the database is read-only', fix: 'make the state home writable' },
  SQLITE_CANTOPEN: { what: 'the database cannot be opened', fix: 'make the state home writable' },
  SQLITE_PERM: { what: 'permission denied', fix: 'make the state home writable by this user' },
  SQLITE_CORRUPT: {
    what: 'the database is damaged',
    fix: 'move it aside (tasker then starts a new history; run directories are kept)',
  },
  SQLITE_NOTADB: {
    what: 'the file is not a SQLite database',
    fix: 'move it aside (tasker then starts a new history; run directories are kept)',
  },
  SQLITE_BUSY: {
    what: 'the database stayed locked by another process',
    fix: 'retry; check for a stuck tasker process',
  },
};

/** The errno (`ENOSPC`) or SQLite (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`) code of an error, if any. */
export function faultCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `err` is an I/O or database fault `describeFault` can explain (not a bug in tasker). */
export function isIoFault(err: unknown): boolean {
  if (err instanceof StateFault) return true;
  const code = faultCode(err);
  return code !== undefined && (code in FIXES || code.startsWith('SQLITE_IOERR'));
}

/**
 * `cannot write the run report /x/report.json: no space left on device (ENOSPC); free space …`.
 * `where` is appended to the fix for state-home paths ("or set TASKER_HOME to another directory").
 */
export function describeFault(err: unknown, action: string, path: string, where = ''): StateFault {
  if (err instanceof StateFault) return err;
  const code = faultCode(err) ?? 'error';
  const known = FIXES[code] ?? (code.startsWith('SQLITE_IOERR') ? FIXES.EIO : undefined);
  const what = known?.what ?? firstLine(err);
  const prune = where && SPACE.has(code) ? ' (`tasker prune` removes old runs)' : '';
  const fix = known ? `; ${known.fix}${prune}${where}` : where ? `; check the path${where}` : '';
  return new StateFault(`cannot ${action} ${path}: ${what} (${code})${fix}`, path, code, { cause: err });
}

/** For state-home paths: the alternative every fix offers. */
export const ELSEWHERE = ', or set TASKER_HOME to another directory';

const SPACE = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
