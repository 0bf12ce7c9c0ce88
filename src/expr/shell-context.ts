/**
 * Finds the POSIX shell quoting context at the end of a script prefix, so an interpolated value can
 * be quoted for exactly the place it lands: bare word, "…", '…', a comment or a here-document body.
 */

export type ShellContext =
  | { kind: 'bare' | 'double' | 'single' | 'comment'; backticks: number }
  | { kind: 'heredoc'; quoted: boolean; delimiter: string; line: string; backticks: number }
  /** The prefix ends in a `\` or `$` that would join the shell syntax to the value. */
  | { kind: 'dangling'; what: '\\' | '$' };

type Heredoc = { delimiter: string; quoted: boolean; stripTabs: boolean };

type Frame =
  | { kind: 'top' }
  | { kind: 'subst'; depth: number }
  | { kind: 'param' }
  | { kind: 'backtick' }
  | { kind: 'single' }
  | { kind: 'double' }
  | { kind: 'comment' }
  | ({ kind: 'heredoc' } & Heredoc);

const WORD_BREAK = /[\s;&|()<>]/;

/**
 * Incremental: `feed` appends rendered text and scans on. Where a decision needs the next character
 * (`\`, `$`, `<`, a here-document word or line), the scan waits at that spot for more text.
 */
export class ShellScanner {
  private readonly stack: Frame[] = [{ kind: 'top' }];
  private pending: Heredoc[] = [];
  private s = '';
  private i = 0;
  private waitingOn: '\\' | '$' | undefined;

  feed(text: string): void {
    this.s += text;
    this.waitingOn = undefined;
    while (this.i < this.s.length && this.step(this.top())) {
      // each step advances `i` or returns false to wait for more text
    }
  }

  /** The context for a value inserted at the end of everything fed so far. */
  context(): ShellContext {
    const top = this.top();
    const backticks = this.stack.filter((f) => f.kind === 'backtick').length;
    if (top.kind === 'heredoc') return heredocContext(top, this.s.slice(this.i), backticks);
    if (this.waitingOn) return { kind: 'dangling', what: this.waitingOn };
    if (top.kind === 'single' || top.kind === 'double' || top.kind === 'comment')
      return { kind: top.kind, backticks };
    return { kind: 'bare', backticks };
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1] ?? { kind: 'top' };
  }

  private wait(on?: '\\' | '$'): false {
    this.waitingOn = on;
    return false;
  }

  private step(top: Frame): boolean {
    const c = this.s[this.i];
    switch (top.kind) {
      case 'single':
        if (c === "'") this.stack.pop();
        this.i++;
        return true;
      case 'comment':
        if (c === '\n') this.stack.pop();
        else this.i++;
        return true;
      case 'heredoc':
        return this.heredocLine(top);
      case 'double':
        return this.doubleChar(c);
      case 'top':
      case 'subst':
      case 'param':
      case 'backtick':
        return this.wordChar(c, top);
    }
  }

  /** Handles `\x`, `$(`, `${`, `$x`; undefined when `c` is none of those. */
  private escapeOrDollar(c: string | undefined): boolean | undefined {
    if (c !== '\\' && c !== '$') return undefined;
    const next = this.s[this.i + 1];
    if (next === undefined) return this.wait(c);
    if (c === '$' && next === '(') this.stack.push({ kind: 'subst', depth: 0 });
    if (c === '$' && next === '{') this.stack.push({ kind: 'param' });
    this.i += c === '\\' || next === '(' || next === '{' ? 2 : 1;
    return true;
  }

  private doubleChar(c: string | undefined): boolean {
    const handled = this.escapeOrDollar(c);
    if (handled !== undefined) return handled;
    if (c === '"') this.stack.pop();
    else if (c === '`') this.stack.push({ kind: 'backtick' });
    this.i++;
    return true;
  }

  private wordChar(c: string | undefined, top: Frame): boolean {
    const handled = this.escapeOrDollar(c);
    if (handled !== undefined) return handled;
    const prev = this.s[this.i - 1];
    if (c === '<') return this.redirect();
    if (c === "'") this.stack.push({ kind: 'single' });
    else if (c === '"') this.stack.push({ kind: 'double' });
    else if (c === '`' && top.kind !== 'backtick') this.stack.push({ kind: 'backtick' });
    else if (c === '#' && top.kind !== 'param' && (prev === undefined || WORD_BREAK.test(prev)))
      this.stack.push({ kind: 'comment' });
    else if (c === '\n' && this.pending.length > 0) this.startHeredocs();
    else this.closeFrame(c, top);
    this.i++;
    return true;
  }

  private closeFrame(c: string | undefined, top: Frame): void {
    if (c === '`' && top.kind === 'backtick') this.stack.pop();
    else if (c === '}' && top.kind === 'param') this.stack.pop();
    else if (c === '(' && top.kind === 'subst') top.depth++;
    else if (c === ')' && top.kind === 'subst') {
      if (top.depth === 0) this.stack.pop();
      else top.depth--;
    }
  }

  // `<<WORD`, `<<-WORD`, `<<'WORD'`: the body starts after the next newline. `<<<` is a here-string.
  private redirect(): boolean {
    const after = this.s.slice(this.i, this.i + 3);
    if (after.length < 3 && '<<<'.startsWith(after)) return this.wait();
    if (!after.startsWith('<<') || after === '<<<') {
      this.i += after === '<<<' ? 3 : 1;
      return true;
    }
    let j = this.i + 2;
    const stripTabs = this.s[j] === '-';
    if (stripTabs) j++;
    while (this.s[j] === ' ' || this.s[j] === '\t') j++;
    const end = wordEnd(this.s, j);
    if (end === undefined) return this.wait();
    const word = this.s.slice(j, end);
    if (word !== '')
      this.pending.push({ delimiter: word.replace(/['"\\]/g, ''), quoted: /['"\\]/.test(word), stripTabs });
    this.i = end;
    return true;
  }

  private startHeredocs(): void {
    for (const h of [...this.pending].reverse()) this.stack.push({ kind: 'heredoc', ...h });
    this.pending = [];
  }

  private heredocLine(h: Heredoc): boolean {
    const nl = this.s.indexOf('\n', this.i);
    if (nl < 0) return this.wait();
    const line = this.s.slice(this.i, nl);
    if ((h.stripTabs ? line.replace(/^\t+/, '') : line) === h.delimiter) this.stack.pop();
    this.i = nl + 1;
    return true;
  }
}

/** End of a here-document word starting at `j`, or undefined when the text ends inside it. */
function wordEnd(s: string, j: number): number | undefined {
  let inQuote: string | undefined;
  for (let k = j; k < s.length; k++) {
    const ch = s[k] ?? '';
    if (inQuote !== undefined) {
      if (ch === inQuote) inQuote = undefined;
    } else if (ch === "'" || ch === '"') inQuote = ch;
    else if (ch === '\\') k++;
    else if (WORD_BREAK.test(ch)) return k;
  }
  return undefined;
}

function heredocContext(h: Heredoc, line: string, backticks: number): ShellContext {
  if (!h.quoted) {
    const trail = /(\\*)(\$?)$/.exec(line);
    const slashes = trail?.[1]?.length ?? 0;
    if (trail?.[2] === '' && slashes % 2 === 1) return { kind: 'dangling', what: '\\' };
    if (trail?.[2] === '$' && slashes % 2 === 0) return { kind: 'dangling', what: '$' };
  }
  const stripped = h.stripTabs ? line.replace(/^\t+/, '') : line;
  return { kind: 'heredoc', quoted: h.quoted, delimiter: h.delimiter, line: stripped, backticks };
}

/** The context at the end of `prefix` (the script text before an interpolation). */
export function shellContextAt(prefix: string): ShellContext {
  const scanner = new ShellScanner();
  scanner.feed(prefix);
  return scanner.context();
}
