import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { StateFault } from '../store/faults.js';
import { describeFault } from '../store/faults.js';
import { UsageError } from './usage-error.js';

/**
 * `--json`, `--junit` and `--events` are checked before anything runs: the directory must exist and
 * be writable, and the file (if there) must be a writable file. A report path that fails only later
 * (a full disk) is a warning after the run, which keeps its exit code.
 */
export function checkReportPaths(
  paths: readonly (readonly [flag: string, path: string | undefined])[],
): void {
  for (const [flag, path] of paths) {
    if (path === undefined) continue;
    const fault = writableFault(path);
    if (fault) throw new UsageError(`${flag}: ${fault.message}; nothing ran`);
  }
}

function writableFault(path: string): StateFault | undefined {
  const file = resolve(path);
  const dir = dirname(file);
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    return describeFault(err, 'write into', dir);
  }
  try {
    if (statSync(file).isDirectory()) return describeFault({ code: 'EISDIR' }, 'write', file);
    accessSync(file, constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return describeFault(err, 'write', file);
  }
  return undefined;
}
