import { accessSync, constants, mkdirSync, statfsSync } from 'node:fs';

/** Below this the first output chunk (one pipe buffer) could not be written. */
const MIN_FREE_BYTES = 64 * 1024;

/**
 * Checks the run directory once, before the first step: created (0700) if missing, writable, and
 * with room for output. Output files are created lazily on a stream's first byte, so without this a
 * bad directory would only show at the first step that prints. A problem is returned as a message.
 */
export function checkOutputDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    return `cannot write to the run directory ${dir} (${code}); check the path and its permissions`;
  }
  try {
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < MIN_FREE_BYTES)
      return `no space left for step output in ${dir} (${free} bytes free); free disk space or run elsewhere`;
  } catch {
    // statfs is informational: a filesystem that cannot report its space is left to the writes.
  }
  return undefined;
}
