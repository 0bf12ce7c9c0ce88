import { shellQuote } from './quote.js';

/**
 * Env values of a remote command travel on its stdin, ahead of the step's own stdin, as a header of
 * shell assignment lines ended by a `.` line; HEADER_READER (part of the command line) reads exactly
 * those lines (the shell's `read` takes one byte at a time from a pipe or terminal, so the step's
 * stdin after the header is left intact) and evals them. The values are never on a command line.
 *
 * Every line is short and printable, so it also passes a terminal (`pty: true`, canonical mode,
 * 4096-byte line limit) unchanged: values are cut into chunks of CHUNK code points, a newline is
 * written as "$__t_nl" and any other control character as "$(printf '\ooo')".
 */
const CHUNK = 96;

export const HEADER_READER = `__t_nl='\n'; while IFS= read -r __t_l; do [ "$__t_l" = . ] && break; eval "$__t_l"; done; unset __t_l;`;

function controlChar(c: string): string {
  if (c === '\n') return `"$__t_nl"`;
  return `"$(printf '\\${c.charCodeAt(0).toString(8).padStart(3, '0')}')"`;
}

/** One chunk as shell words: plain runs single-quoted, control characters spelled out. */
function encodeChunk(chunk: string): string {
  if (chunk === '') return "''";
  const parts: string[] = [];
  let plain = '';
  for (const c of chunk) {
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      if (plain !== '') parts.push(`'${plain.replace(/'/g, `'\\''`)}'`);
      plain = '';
      parts.push(controlChar(c));
    } else plain += c;
  }
  if (plain !== '') parts.push(`'${plain.replace(/'/g, `'\\''`)}'`);
  return parts.join('');
}

/** The header for `env`: `NAME=…` then `NAME="$NAME"…` per chunk, `export NAME`, and the `.` line. */
export function envHeader(env: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const points = Array.from(value);
    lines.push(`${name}=${encodeChunk(points.slice(0, CHUNK).join(''))}`);
    for (let i = CHUNK; i < points.length; i += CHUNK)
      lines.push(`${name}="$${name}"${encodeChunk(points.slice(i, i + CHUNK).join(''))}`);
    lines.push(`export ${shellQuote(name)}`);
  }
  return `${lines.join('\n')}\n.\n`;
}
