import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './hash.js';
import { isProcessAlive } from './process.js';

/** What the lock file holds: who runs the workflow now. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: number;
  runId: string;
  pidStart?: string;
  file?: string;
}

export interface HeldLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
  /** The same, synchronously, for a process `exit` handler. */
  releaseSync(): void;
}

export type LockAttempt =
  | { kind: 'acquired'; lock: HeldLock; tookOver?: LockHolder }
  | { kind: 'held'; holder: LockHolder; path: string };

/** One lock per workflow file (its real path) and set of `--var`s, in any order. */
export function lockKey(realFile: string, vars: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(vars)
    .sort()
    .map((k) => [k, vars[k]]);
  return sha256(JSON.stringify([realFile, sorted])).slice(0, 32);
}

export function lockPath(home: string, key: string): string {
  return join(home, 'locks', `${key}.lock`);
}

/**
 * Takes the lock or reports its holder, without waiting. The file is written in full under a temp
 * name and then hard-linked into place, so creation is atomic and nobody ever reads half a lock. A
 * holder on this host whose process is gone is taken over.
 */
export async function tryLock(path: string, me: LockHolder): Promise<LockAttempt> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const text = JSON.stringify(me);
  for (let round = 0; round < 40; round++) {
    if (await linkInPlace(path, text)) return { kind: 'acquired', lock: heldLock(path, me.runId) };
    const seen = await readHolder(path);
    if (seen === 'gone') continue;
    if (seen.holder.host !== me.host || isProcessAlive(seen.holder.pid, seen.holder.pidStart))
      return { kind: 'held', holder: seen.holder, path };
    if (!(await removeStale(path, seen.text))) continue;
    if (await linkInPlace(path, text))
      return { kind: 'acquired', lock: heldLock(path, me.runId), tookOver: seen.holder };
  }
  const last = await readHolder(path);
  if (last === 'gone') throw new Error(`${path}: the lock file keeps changing; retry, or pass --no-lock`);
  return { kind: 'held', holder: last.holder, path };
}

async function linkInPlace(path: string, text: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { flag: 'wx', mode: 0o600 });
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<{ holder: LockHolder; text: string } | 'gone'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    return { holder: JSON.parse(text) as LockHolder, text };
  } catch {
    throw new Error(
      `${path}: the lock file is not valid JSON; remove it if no run of this workflow is going on`,
    );
  }
}

/** How old a takeover guard must be before it counts as left by a remover that died. */
const GUARD_STALE_MS = 10_000;

/**
 * Removes a dead holder's lock, only under an exclusive takeover guard and only if the file still
 * holds the text judged stale. The lock file is never moved away while someone may hold it, so a
 * taker acting on an old read can no longer drop a fresh lock and let a third taker in beside it.
 */
export async function removeStale(path: string, staleText: string): Promise<boolean> {
  const guard = `${path}.takeover`;
  if (!(await takeGuard(guard))) return false;
  try {
    const now = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (now !== staleText) return false;
    await unlink(path);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/** The takeover guard, or false after a short wait when another taker holds it. */
async function takeGuard(guard: string): Promise<boolean> {
  try {
    await writeFile(guard, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const age = await stat(guard).then(
    (st) => Date.now() - st.mtimeMs,
    () => 0,
  );
  if (age > GUARD_STALE_MS) await unlink(guard).catch(() => undefined);
  else await new Promise((resolve) => setTimeout(resolve, 5));
  return false;
}

function heldLock(path: string, runId: string): HeldLock {
  const ours = (text: string) => {
    try {
      return (JSON.parse(text) as LockHolder).runId === runId;
    } catch {
      return false;
    }
  };
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      const text = await readFile(path, 'utf8').catch(() => '');
      if (ours(text)) await unlink(path).catch(() => undefined);
    },
    releaseSync() {
      if (released) return;
      released = true;
      try {
        if (ours(readFileSync(path, 'utf8'))) unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}
