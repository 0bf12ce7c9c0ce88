import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describeFault, ELSEWHERE, makePrivateDir } from '../store/index.js';

/**
 * Creates the run directory (0700, like the state home) with a private copy of the workflow file.
 * A fault here comes before the first step: a StateFault naming the path, and nothing runs.
 */
export async function prepareRunDir(runDir: string, workflowPath: string, bytes?: Buffer): Promise<void> {
  makePrivateDir(runDir);
  const copy = join(runDir, `workflow${extensionOf(workflowPath)}`);
  try {
    if (bytes) await writeFile(copy, bytes, { mode: 0o600 });
    else await copyFile(workflowPath, copy);
    // copyFile keeps the source's mode; the copy sits with the outputs and is private like them.
    await chmod(copy, 0o600);
  } catch (err) {
    throw describeFault(err, 'write', copy, ELSEWHERE);
  }
}

/** Writes report.json (0600); a fault is a warning naming the file, never the run's exit code. */
export async function writeRunReport(file: string, json: string, warn: (m: string) => void): Promise<void> {
  try {
    await writeFile(file, json, { mode: 0o600 });
  } catch (err) {
    warn(describeFault(err, 'write the run report', file, ELSEWHERE).message);
  }
}

function extensionOf(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}
