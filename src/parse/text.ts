import type { Diagnostic } from '../model/diagnostic.js';

/** Files larger than this are refused before parsing. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type DecodedText = { kind: 'ok'; text: string } | { kind: 'error'; diagnostic: Diagnostic };

/** Turns file bytes (or a string) into YAML source, refusing huge, binary and non-UTF-8 input. */
export function decodeText(input: string | Uint8Array, file: string): DecodedText {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_FILE_BYTES)
    return badFile(
      file,
      `the file is ${size} bytes; the limit is ${MAX_FILE_BYTES}`,
      'split the workflow into smaller files',
    );
  if (typeof input !== 'string' && input.includes(0))
    return badFile(file, 'the file is binary (it holds NUL bytes)', 'pass a YAML workflow file');
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return badFile(file, 'the file is not valid UTF-8', 'save the file as UTF-8');
  }
  if (text.includes('\u0000'))
    return badFile(file, 'the text holds NUL characters', 'pass a YAML workflow file');
  return { kind: 'ok', text };
}

export function badFile(
  file: string,
  message: string,
  hint: string,
): { kind: 'error'; diagnostic: Diagnostic } {
  const span = { file, line: 1, col: 1, endLine: 1, endCol: 1 };
  return {
    kind: 'error',
    diagnostic: { code: 'bad-file', severity: 'error', message: `${file}: ${message}`, span, hint },
  };
}
