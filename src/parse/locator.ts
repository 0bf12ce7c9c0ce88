import type { Scalar } from 'yaml';
import type { Locator } from '../expr/index.js';
import { spanAt, spanOf, type ParseContext } from './context.js';

/**
 * Maps offsets in a scalar's value to the file. Exact for plain, simple quoted and literal block
 * scalars; for folded or escaped text every offset points at the whole scalar.
 */
export function scalarLocator(ctx: ParseContext, scalar: Scalar, value: string): Locator {
  const [start, end] = scalar.range ?? [0, 0];
  const whole: Locator = () => spanOf(ctx, scalar);
  const raw = ctx.text.slice(start, end);
  switch (scalar.type) {
    case 'PLAIN':
      return raw === value ? shifted(ctx, start) : whole;
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE':
      return raw.slice(1, -1) === value ? shifted(ctx, start + 1) : whole;
    case 'BLOCK_LITERAL':
      return literalLocator(ctx, start, raw, value) ?? whole;
    default:
      return whole;
  }
}

/** A locator for text that sits verbatim at `base` in the file. */
function shifted(ctx: ParseContext, base: number): Locator {
  return (a, b) => spanAt(ctx, base + a, base + b);
}

/** Literal blocks keep lines as written, minus a fixed indentation. */
function literalLocator(ctx: ParseContext, start: number, raw: string, value: string): Locator | undefined {
  const lines = raw.split('\n');
  const content = lines.slice(1);
  const first = content.find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  const indent = first.length - first.trimStart().length;
  const lineStarts: number[] = [];
  let offset = start + (lines[0]?.length ?? 0) + 1;
  for (const line of content) {
    lineStarts.push(offset + Math.min(indent, line.length));
    offset += line.length + 1;
  }
  const at = (i: number): number => {
    const before = value.slice(0, i);
    const row = before.split('\n').length - 1;
    const col = i - (before.lastIndexOf('\n') + 1);
    return (lineStarts[row] ?? lineStarts[lineStarts.length - 1] ?? start) + col;
  };
  return (a, b) => spanAt(ctx, at(a), at(b));
}
