import type { Diagnostic } from '../model/diagnostic.js';

/**
 * GitHub Actions workflow commands, one per diagnostic:
 * `::error file=a.yaml,line=3,col=5,endLine=3,endColumn=12,title=unknown-key::message`.
 * `endColumn` is the span's exclusive end column. The hint follows the message on its own line.
 * Each command ends with `\n`, so outputs for several files can be written one after another.
 */
export function formatDiagnosticsGithub(ds: readonly Diagnostic[]): string {
  return ds.map((d) => `${formatOne(d)}\n`).join('');
}

function formatOne(d: Diagnostic): string {
  const { file, line, col, endLine, endCol } = d.span;
  const props: [string, string | number][] = [
    ['file', file],
    ['line', line],
    ['col', col],
    ['endLine', endLine],
    ['endColumn', endCol],
    ['title', d.code],
  ];
  const properties = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
  return `::${d.severity} ${properties}::${escapeData(message)}`;
}

/** GitHub's escaping for a command's message (actions/toolkit `escapeData`). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping for a property value (actions/toolkit `escapeProperty`). */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
