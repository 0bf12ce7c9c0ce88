import type { Diagnostic } from '../model/diagnostic.js';
import { formatDiagnostic } from '../report/index.js';
import type { Io } from './io.js';
import { sourceReader } from './source-cache.js';

/** Prints diagnostics with code frames to stderr; a file that is not text gets no frame. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], io: Io, color: boolean): void {
  const source = sourceReader();
  for (const d of diagnostics) {
    // bad-file means unreadable, binary or not UTF-8: a frame would dump raw bytes to the terminal.
    // A file outside the workflow's directory is never shown (see api/confine.ts).
    const text = d.code === 'bad-file' || d.foreign ? undefined : source(d.span.file);
    io.err(formatDiagnostic(d, text, { color }) + '\n');
  }
}
