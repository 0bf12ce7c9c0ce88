import type { Diagnostic } from '../model/diagnostic.js';
import { diag } from './types.js';

/** Arguments written at the top of a task file, to merge under the command line's. */
export interface FileArgs {
  flags: string[];
}

const CLI_ONLY = new Set(['--help', '-h', '--version', '-V', '--force-instance']);
const BLOCKED = new Set(['--skip-security-validation', '--skip-validation', '--fire-and-forget']);

/** TASKER's rules for file-defined arguments (§1.4): CLI-only flags are errors, unsafe ones dropped. */
export function checkFileArgs(
  lines: readonly { text: string; line: number }[],
  file: string,
): { args: FileArgs; diagnostics: Diagnostic[] } {
  const flags: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { text, line } of lines) {
    const name = text.split('=')[0]!.trim().split(/\s+/)[0]!;
    // S12: a single dash followed by more than one character is refused (exit 2).
    if (!name.startsWith('--') && name.length > 2) {
      diagnostics.push(
        diag(
          file,
          line,
          'bad-flag',
          `invalid argument syntax '${name}'`,
          `write --${name.slice(1)} (two dashes) or a single letter`,
        ),
      );
    } else if (CLI_ONLY.has(name)) {
      diagnostics.push(
        diag(
          file,
          line,
          'key-not-allowed',
          `file-defined argument '${name}' is not allowed (CLI-only flag)`,
          'pass it on the command line',
        ),
      );
    } else if (BLOCKED.has(name)) {
      diagnostics.push(
        diag(
          file,
          line,
          'unsafe-value',
          `security-sensitive flag '${name}' in the task file is ignored`,
          'pass it on the command line if you really mean it',
          'warning',
        ),
      );
    } else flags.push(...splitFlag(text));
  }
  return { args: { flags }, diagnostics };
}

// `--log-dir /x` written on one line is two argv words; `--opt=value` stays one.
function splitFlag(text: string): string[] {
  const m = /^(\S+)\s+(.+)$/.exec(text.trim());
  return m && !m[1]!.includes('=') ? [m[1]!, m[2]!.trim()] : [text.trim()];
}
