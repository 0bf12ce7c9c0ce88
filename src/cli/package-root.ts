import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (works from `src/` under vitest and from `dist/src/` alike). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && readPackage(candidate).name === 'tasker') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tasker: cannot find its own package.json (broken install?)');
    dir = parent;
  }
}

export function packageVersion(): string {
  return readPackage(join(packageRoot(), 'package.json')).version ?? '0.0.0';
}

function readPackage(path: string): { name?: string; version?: string } {
  return JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
}
