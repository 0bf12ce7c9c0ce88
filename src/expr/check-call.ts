import type { Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';
import { FUNCTIONS, USAGE } from './functions.js';
import { errorAt } from './locator.js';
import { suggest } from './suggest.js';

/** Diagnostics for a call: unknown name (with "did you mean") or a wrong argument count. */
export function checkCall(name: string, count: number, nameSpan: Span, span: Span): Diagnostic[] {
  const arity = FUNCTIONS[name];
  if (!arity) {
    const near = suggest(name, Object.keys(FUNCTIONS));
    const hint = near ? `did you mean \`${near}\`?` : `functions are: ${Object.keys(FUNCTIONS).join(', ')}`;
    return [errorAt('unknown-function', `unknown function \`${name}\``, nameSpan, hint)];
  }
  if (count >= arity.min && count <= arity.max) return [];
  const want = arity.min === arity.max ? `${arity.min}` : `${arity.min} to ${arity.max}`;
  const message = `\`${name}\` takes ${want} argument${want === '1' ? '' : 's'}, got ${count}`;
  return [errorAt('bad-arguments', message, span, `usage: ${USAGE[name] ?? name}`)];
}
