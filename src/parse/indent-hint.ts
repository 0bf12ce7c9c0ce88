import type { Span } from '../model/span.js';

/** Where a key that should align with a sibling sits, and what to say about it. */
export interface IndentHint {
  span: Span;
  message: string;
  hint: string;
}

const KEY_LINE = /^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):(?:\s|$)/;

/**
 * `run: make` followed by a more indented `timeout: 5m` makes YAML read `make timeout` as a key
 * (BLOCK_AS_IMPLICIT_KEY reported on the line above); name the key the indented line should align with.
 */
export function overIndentedKey(file: string, text: string, errorLine: number): IndentHint | undefined {
  const lines = text.split('\n');
  const parent = KEY_LINE.exec(lines[errorLine - 1] ?? '');
  if (parent?.[1] === undefined || !parent[2]) return undefined;
  let n = errorLine;
  while (n < lines.length && (lines[n] ?? '').trim() === '') n++;
  const child = /^(\s*)([A-Za-z_][\w-]*):(?:\s|$)/.exec(lines[n] ?? '');
  if (!child?.[2] || child[1] === undefined) return undefined;
  const column = parent[1].length + 1;
  if (child[1].length + 1 <= column) return undefined;
  const [key, sibling] = [child[2], parent[2]];
  return {
    span: {
      file,
      line: n + 1,
      col: child[1].length + 1,
      endLine: n + 1,
      endCol: child[1].length + key.length + 1,
    },
    message: `\`${key}:\` is indented more than \`${sibling}:\` on line ${errorLine}, so YAML reads it as part of the value of \`${sibling}\``,
    hint: `align \`${key}:\` with \`${sibling}:\` (column ${column}), or quote the value of \`${sibling}\` if it contains ": "`,
  };
}
