import type { ShellContext } from './shell-context.js';

/** Characters that never need quoting in a bare shell word. */
const SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

export type Quoted = { ok: true; text: string } | { ok: false; message: string };

/** `it's` → `'it'\''s'`; safe words stay as they are. */
export function quoteBare(value: string): string {
  return SAFE.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Inside "…": only `\ " $ \`` are special. */
export function quoteDouble(value: string): string {
  return value.replace(/[\\"$`]/g, '\\$&');
}

/** Inside '…': close, add an escaped quote, reopen. */
export function quoteSingle(value: string): string {
  return value.replaceAll("'", `'\\''`);
}

// Inside `…` the shell first removes one backslash before \ $ and `.
function escapeBackticks(text: string, levels: number): string {
  let out = text;
  for (let i = 0; i < levels; i++) out = out.replace(/[\\$`]/g, '\\$&');
  return out;
}

/** A line of the value (or the current line plus the value) could end the here-document early. */
function endsHeredoc(value: string, ctx: ShellContext & { kind: 'heredoc' }): boolean {
  const lines = (ctx.line + value).split('\n');
  return lines.some((l, i) => {
    const line = l.replace(/^\t+/, '');
    return i === lines.length - 1 ? ctx.delimiter.startsWith(line) && line !== '' : line === ctx.delimiter;
  });
}

/** Quotes `value` so the shell reads exactly `value` at a place with context `ctx`. */
export function quoteForShell(value: string, ctx: ShellContext): Quoted {
  switch (ctx.kind) {
    case 'dangling':
      return {
        ok: false,
        message:
          ctx.what === '$'
            ? 'a `$` right before `${{ }}` would join the value to the shell syntax; write `\\$` for a literal dollar'
            : 'a `\\` right before `${{ }}` would escape the quoting of the value; remove it or add a space',
      };
    case 'heredoc':
      if (endsHeredoc(value, ctx)) {
        return {
          ok: false,
          message: `the value could end the here-document early (it contains \`${ctx.delimiter}\`); use another delimiter`,
        };
      }
      return {
        ok: true,
        text: escapeBackticks(ctx.quoted ? value : value.replace(/[\\$`]/g, '\\$&'), ctx.backticks),
      };
    case 'comment':
      // A newline would end the comment and run the rest; comments are inert, so spaces do.
      return { ok: true, text: escapeBackticks(value.replace(/[\r\n]/g, ' '), ctx.backticks) };
    case 'bare':
      return { ok: true, text: escapeBackticks(quoteBare(value), ctx.backticks) };
    case 'double':
      return { ok: true, text: escapeBackticks(quoteDouble(value), ctx.backticks) };
    case 'single':
      return { ok: true, text: escapeBackticks(quoteSingle(value), ctx.backticks) };
  }
}
