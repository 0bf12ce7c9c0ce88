import type { Placement } from './shell-classify.js';

/** Characters that never need quoting in a whole-word argument. No `,` (brace expansion), no glob or `~`. */
const SAFE = /^[A-Za-z0-9_./:=@%+-]+$/;

/** Inside "…": only `\ " $ \`` are special. */
function quoteDouble(value: string): string {
  return value.replace(/[\\"$`]/g, '\\$&');
}

/** Inside '…': close, add an escaped quote, reopen. */
function quoteSingle(value: string): string {
  return value.replaceAll("'", `'\\''`);
}

// Inside `…` the shell first removes one backslash before \ $ and `.
function escapeBackticks(text: string, levels: number): string {
  let out = text;
  for (let i = 0; i < levels; i++) out = out.replace(/[\\$`]/g, '\\$&');
  return out;
}

/**
 * `value` written so the shell reads exactly `value` at `placement`. A bare value is single-quoted
 * unless it is a whole argument word of safe characters (`plain`: not glued to text or to `<`/`>`).
 */
export function quoteFor(value: string, placement: Placement): string {
  switch (placement.kind) {
    case 'bare': {
      const keep = placement.plain && SAFE.test(value);
      return escapeBackticks(keep ? value : `'${quoteSingle(value)}'`, placement.backticks);
    }
    case 'double':
      return escapeBackticks(quoteDouble(value), placement.backticks);
    case 'single':
      return escapeBackticks(quoteSingle(value), placement.backticks);
    case 'heredoc':
      return value;
  }
}
