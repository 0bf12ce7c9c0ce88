import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { ExecError } from './types.js';

/** One file of a copy: its local source, its destination path, and what identifies its content. */
export interface FilePlan {
  local: string;
  /** The destination path (remote for SSH, local for a local copy). */
  remote: string;
  size: number;
  sha256: string;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The files under `src` (a file or a directory tree) with their destination under `dest`. */
export async function listFiles(src: string, dest: string): Promise<FilePlan[]> {
  const info = await stat(src).catch((cause: unknown) => {
    throw new ExecError(
      'copy',
      `copy source ${src} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)}); fix the src path`,
      { cause },
    );
  });
  if (info.isFile()) {
    const remote = dest.endsWith('/') ? posix.join(dest, basename(src)) : dest;
    return [{ local: src, remote, size: info.size, sha256: await sha256File(src) }];
  }
  if (!info.isDirectory())
    throw new ExecError('copy', `copy source ${src} is neither a file nor a directory; point src at one`);
  const out: FilePlan[] = [];
  for (const entry of await readdir(src, { withFileTypes: true })) {
    if (entry.isDirectory() || entry.isFile())
      out.push(...(await listFiles(join(src, entry.name), posix.join(dest, entry.name))));
  }
  return out;
}
