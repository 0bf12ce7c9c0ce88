import { formatOf, hasErrors, validateWorkflowFile } from '../../api/validate.js';
import { execTypesOptions } from '../tasker-options.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { formatDiagnosticsGithub } from '../../report/index.js';
import { printDiagnostics } from '../diagnostics.js';
import type { Io } from '../io.js';

type DiagnosticFormat = 'text' | 'json' | 'github';

export interface ValidateFlags {
  format: DiagnosticFormat;
  vars: Record<string, string>;
  strict: boolean;
  color: boolean;
  /** `--exec-types`: the execution_types.yaml for TASKER task files. */
  execTypes?: string;
  /** `-d`: name the execution_types.yaml a task file used. */
  debug?: boolean;
}

/** `tasker validate FILE...`: 0 when every file is valid, 2 otherwise. Executes nothing, connects nowhere. */
export async function validateCommand(
  files: readonly string[],
  flags: ValidateFlags,
  io: Io,
): Promise<number> {
  const results: { file: string; diagnostics: Diagnostic[]; steps?: number }[] = [];
  const legacy = { ...execTypesOptions(flags.execTypes, process.env), env: process.env };
  for (const file of files) {
    // Only the diagnostics matter here: skip building (copying and freezing) the plan.
    const v = await validateWorkflowFile(file, { vars: flags.vars, materialize: false, legacy });
    results.push({ file, diagnostics: v.diagnostics });
    if (flags.debug && (await formatOf(file)) === 'tasker')
      io.err(`${file}: execution types: ${v.execTypesFile ?? 'none found (built-in local, shell, ssh)'}`);
  }
  const failed = results.filter((r) => isFailure(r.diagnostics, flags.strict));
  switch (flags.format) {
    case 'json':
      io.out(
        JSON.stringify(
          { valid: failed.length === 0, files: results.map((r) => toJson(r, flags.strict)) },
          null,
          2,
        ),
      );
      break;
    case 'github':
      for (const r of results) if (r.diagnostics.length > 0) io.out(formatDiagnosticsGithub(r.diagnostics));
      break;
    case 'text':
      printText(results, flags, io);
      break;
  }
  return failed.length === 0 ? 0 : 2;
}

function isFailure(ds: readonly Diagnostic[], strict: boolean): boolean {
  return hasErrors(ds) || (strict && ds.length > 0);
}

function toJson(r: { file: string; diagnostics: Diagnostic[] }, strict: boolean) {
  return { file: r.file, valid: !isFailure(r.diagnostics, strict), diagnostics: r.diagnostics };
}

function printText(
  results: { file: string; diagnostics: Diagnostic[] }[],
  flags: ValidateFlags,
  io: Io,
): void {
  for (const r of results) {
    printDiagnostics(r.diagnostics, io, flags.color);
    const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = r.diagnostics.length - errors;
    const verdict = isFailure(r.diagnostics, flags.strict) ? 'invalid' : 'valid';
    io.err(`${r.file}: ${verdict} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
