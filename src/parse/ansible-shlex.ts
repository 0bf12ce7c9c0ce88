/** One word with its 0-based [start, end) columns in the line; quotes and escapes are removed from `text`. */
interface Word {
  text: string;
  start: number;
  end: number;
}

export type Words =
  { kind: 'ok'; words: Word[] } | { kind: 'error'; message: string; hint: string; at: number };

/**
 * Python's `shlex.split(line, comments=...)` (posix, whitespace-split), which Ansible applies to INI
 * host lines, keeping each word's columns for diagnostics: quotes group, `\` escapes outside single
 * quotes, and with `comments` a `#` outside quotes ends the line even inside a word (`h#x` is `h`).
 * Checked against the `shlex` package (a port of Python's) by test/unit/parse/ansible-shlex.test.ts.
 */
export function shlexWords(line: string, comments: boolean): Words {
  const words: Word[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && isSpace(line[i]!)) i += 1;
    if (i >= line.length || (comments && line[i] === '#')) return { kind: 'ok', words };
    const start = i;
    let text = '';
    let ended = false;
    while (i < line.length && !isSpace(line[i]!)) {
      const c = line[i]!;
      if (comments && c === '#') {
        ended = true;
        break;
      }
      if (c === '\\') {
        if (i + 1 >= line.length) return fail('a "\\" at the end of the line escapes nothing', i);
        text += line[i + 1];
        i += 2;
      } else if (c === "'" || c === '"') {
        const quoted = readQuoted(line, i);
        if (quoted === undefined) return fail(`the ${c} quote opened here is never closed`, i);
        text += quoted.text;
        i = quoted.end;
      } else {
        text += c;
        i += 1;
      }
    }
    words.push({ text, start, end: i });
    if (ended) return { kind: 'ok', words };
  }
}

function readQuoted(line: string, open: number): { text: string; end: number } | undefined {
  const q = line[open]!;
  let text = '';
  for (let i = open + 1; i < line.length; i += 1) {
    const c = line[i]!;
    if (c === q) return { text, end: i + 1 };
    if (q === '"' && c === '\\' && i + 1 < line.length) {
      const next = line[i + 1]!;
      text += next === '"' || next === '\\' ? next : c + next;
      i += 1;
    } else text += c;
  }
  return undefined;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function fail(message: string, at: number): Words {
  return { kind: 'error', message, at, hint: 'close the quote, or escape it with \\' };
}
