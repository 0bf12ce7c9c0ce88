import { Chalk } from 'chalk';
import type { Diagnostic } from '../model/diagnostic.js';
import { renderCodeFrame } from './code-frame.js';

export interface FormatDiagnosticOptions {
  color?: boolean;
}

/**
 * `deploy.yaml:12:7: error unknown-key: "tiemout" is not a step key`, then a code frame when the
 * source is given, then `  hint: …`. Lines are joined with `\n`, with no trailing newline.
 */
export function formatDiagnostic(d: Diagnostic, source?: string, o: FormatDiagnosticOptions = {}): string {
  const chalk = new Chalk({ level: o.color ? 1 : 0 });
  const { file, line, col } = d.span;
  const severity = d.severity === 'error' ? chalk.red.bold('error') : chalk.yellow.bold('warning');
  const lines = [`${chalk.bold(`${file}:${line}:${col}:`)} ${severity} ${chalk.dim(d.code)}: ${d.message}`];
  if (source !== undefined) lines.push(...renderCodeFrame(source, d.span, chalk));
  if (d.hint) lines.push(`  ${chalk.cyan('hint:')} ${d.hint}`);
  return lines.join('\n');
}
