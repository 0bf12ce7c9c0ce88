import { readdir, readFile, stat } from 'node:fs/promises';
import { MAX_FILE_BYTES } from './text.js';

export type Read = { kind: 'ok'; bytes: Uint8Array } | { kind: 'error'; message: string; hint: string };

/** The file reads of parse/: the size is checked before reading, so a huge file is never loaded. */
export async function readBounded(path: string): Promise<Read> {
  try {
    const info = await stat(path);
    if (!info.isFile())
      return { kind: 'error', message: 'is not a regular file', hint: 'pass the path of a workflow file' };
    if (info.size > MAX_FILE_BYTES)
      return {
        kind: 'error',
        message: `is ${info.size} bytes; the limit is ${MAX_FILE_BYTES}`,
        hint: 'split it into smaller files',
      };
    return { kind: 'ok', bytes: await readFile(path) };
  } catch (error) {
    return { kind: 'error', message: describeError(error), hint: 'check the path and its permissions' };
  }
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? 'does not exist'
    : code === 'EACCES'
      ? 'is not readable (permission denied)'
      : `cannot be read (${code ?? String(error)})`;
}

export type Kind = 'file' | 'dir' | 'executable' | 'missing' | 'other';

/** What is at a path, following symlinks; an executable file is told apart (Ansible runs it as a script). */
export async function kindOf(path: string): Promise<Kind> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'dir';
    if (!info.isFile()) return 'other';
    return (info.mode & 0o111) !== 0 ? 'executable' : 'file';
  } catch {
    return 'missing';
  }
}

/** Entry names sorted by code point, as Python's `sorted(os.listdir())`; a missing or unreadable directory is empty. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return [];
  }
}
