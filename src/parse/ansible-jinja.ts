import type { RawVar } from './ansible-model.js';

export type Rendered = { kind: 'text'; text: string } | { kind: 'template'; expr: string };

const BLOCK = /\{\{-?\s*(.*?)\s*-?\}\}|\{%|\{#/gs;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** References followed deeper than this are treated as a template tasker cannot evaluate (a loop). */
const MAX_DEPTH = 10;

function hasTemplate(text: string): boolean {
  return /\{\{|\{%|\{#/.test(text);
}

/**
 * The one Jinja form tasker evaluates in an inventory: `{{ name }}`, a plain reference to another
 * variable of the same host (or `inventory_hostname`, `inventory_hostname_short`), followed
 * recursively. Anything else (filters, lookups, expressions, `{% %}`) is reported, never used as text.
 */
export function renderSimple(
  text: string,
  host: string,
  vars: ReadonlyMap<string, RawVar>,
  depth = 0,
): Rendered {
  if (!hasTemplate(text)) return { kind: 'text', text };
  let failed: string | undefined;
  const out = text.replace(BLOCK, (whole, inner: string | undefined) => {
    if (failed !== undefined) return whole;
    const value = inner === undefined || !NAME.test(inner) ? undefined : lookup(inner, host, vars);
    if (value === undefined || depth >= MAX_DEPTH) {
      failed = whole;
      return whole;
    }
    const rendered = renderSimple(value, host, vars, depth + 1);
    if (rendered.kind === 'template') {
      failed = rendered.expr;
      return whole;
    }
    return rendered.text;
  });
  return failed === undefined ? { kind: 'text', text: out } : { kind: 'template', expr: failed };
}

function lookup(name: string, host: string, vars: ReadonlyMap<string, RawVar>): string | undefined {
  if (name === 'inventory_hostname') return host;
  if (name === 'inventory_hostname_short') return host.split('.')[0];
  const v = vars.get(name)?.value;
  return v?.kind === 'scalar' ? v.text : undefined;
}
