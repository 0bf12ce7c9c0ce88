import type { ParseContext } from './context.js';
import type { Entry } from './nodes.js';

/** Decodes one key's value into `out`; reports its own problems. */
type FieldDecoder<T> = (ctx: ParseContext, e: Entry, out: T) => void;
export type FieldTable<T> = Readonly<Record<string, FieldDecoder<T>>>;

/** Runs the decoder for every entry whose key the table knows; returns the entries it did not. */
export function decodeFields<T>(
  ctx: ParseContext,
  list: readonly Entry[],
  table: FieldTable<T>,
  out: T,
): Entry[] {
  const rest: Entry[] = [];
  for (const e of list) {
    const decode = Object.hasOwn(table, e.key) ? table[e.key] : undefined;
    if (decode) decode(ctx, e, out);
    else rest.push(e);
  }
  return rest;
}
