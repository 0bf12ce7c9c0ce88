import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli.js';

/** A small real tmpfs: a full disk and a read-only filesystem tests can produce (root only). */
export interface TmpMount {
  dir: string;
  /** Writes zeros until the filesystem is full. */
  fill(): void;
  readOnly(): void;
  unmount(): void;
}

export function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    const m = mountTmpfs(64);
    m.unmount();
    return true;
  } catch {
    return false;
  }
}

export function mountTmpfs(sizeKiB: number): TmpMount {
  const dir = join(tempDir('tasker-mnt-'), 'fs');
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir]);
  return {
    dir,
    fill() {
      try {
        writeFileSync(join(dir, 'filler'), Buffer.alloc(sizeKiB * 1024 * 2));
      } catch {
        // ENOSPC: the filesystem is full now, which is the point.
      }
    },
    readOnly: () => void execFileSync('mount', ['-o', 'remount,ro', dir]),
    unmount: () => void execFileSync('umount', ['-l', dir]),
  };
}
