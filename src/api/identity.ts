import { readFile, realpath } from 'node:fs/promises';
import { sha256, varsHash } from '../store/index.js';

/** What makes two runs "the same workflow": the file's real path and vars; and what resume checks. */
export interface WorkflowIdentity {
  realFile: string;
  /** sha256 of the file's bytes. */
  fileHash: string;
  /** sha256 of the sorted `--var`s. */
  varsHash: string;
}

export async function workflowIdentity(
  path: string,
  vars: Readonly<Record<string, string>>,
  bytes?: Buffer,
): Promise<WorkflowIdentity> {
  const realFile = await realpath(path);
  return { realFile, fileHash: sha256(bytes ?? (await readFile(realFile))), varsHash: varsHash(vars) };
}
