import { dirname, isAbsolute, join } from 'node:path';

/*
 * Every relative path written in a workflow (`inventory:`, copy paths on this machine, `cwd` on this
 * machine, the directory local commands and notify commands run in) resolves against the directory
 * of the workflow file, never against where tasker was started (cron starts it in $HOME), and so does
 * a host's `key:`, also one written in an inventory. This is the one place that decides it;
 * docs/workflow-format.md ("Relative paths") has the table.
 */

/** `path` as written in the workflow file `workflowFile`, relative to that file's directory. */
export function fromWorkflowFile(workflowFile: string, path: string): string {
  return isAbsolute(path) ? path : join(dirname(workflowFile), path);
}

/** The directory local commands of the workflow file run in unless they say `cwd`. */
export function workflowDir(workflowFile: string): string {
  return dirname(workflowFile);
}

/** A host's `key:` (or `ansible_ssh_private_key_file`): `~/…` and ssh_config tokens (`%d/…`) are left to the ssh layer. */
export function keyFromWorkflow(workflowFile: string, key: string): string {
  return key.startsWith('~') || key.startsWith('%') ? key : fromWorkflowFile(workflowFile, key);
}
