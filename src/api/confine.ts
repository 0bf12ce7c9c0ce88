import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';

/**
 * `validate` and `plan` may run on untrusted workflows (a pull request in CI). A workflow can point
 * `inventory:` at any file (~/.ssh/id_rsa, a .env with cloud credentials), so a diagnostic about a
 * file outside the workflow's directory keeps its code and position but none of the file's text:
 * its message and hint are replaced, and `foreign` tells the printer to show no code frame.
 */
export function confineDiagnostics(diagnostics: readonly Diagnostic[], workflowPath: string): Diagnostic[] {
  const root = realOrResolved(dirname(workflowPath));
  const inside = new Map<string, boolean>();
  const isInside = (file: string): boolean => {
    let known = inside.get(file);
    if (known === undefined) {
      const rel = relative(root, realOrResolved(file));
      known = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
      inside.set(file, known);
    }
    return known;
  };
  return diagnostics.map((d) => (isInside(d.span.file) ? d : hide(d, root)));
}

function hide(d: Diagnostic, root: string): Diagnostic {
  return {
    ...d,
    message: `a problem in a file outside the workflow's directory (${root}); its text is not shown`,
    hint: `open the file at line ${d.span.line}, column ${d.span.col}; validate and plan never print the content of files outside the workflow's directory`,
    foreign: true,
  };
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
