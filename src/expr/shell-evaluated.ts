import type { ShellNode } from './shell-syntax.js';

/** `[[ ]]` operators whose operands bash evaluates as arithmetic (`a[$(cmd)]` runs cmd, quoted or not). */
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

function children(nodes: readonly ShellNode[], i: number): ShellNode[] {
  return nodes.filter((n) => n.parent === i);
}

function text(bytes: Buffer, start: number, end: number): string {
  return bytes.subarray(start, end).toString().trim();
}

/**
 * Why bash evaluates what lies under node `i` as arithmetic or as a variable name (so a quoted value
 * still runs `$(…)` in an array subscript), or undefined when it does not.
 */
export function evaluatedBy(nodes: readonly ShellNode[], bytes: Buffer, i: number): string | undefined {
  const n = nodes[i];
  if (!n) return undefined;
  const [first, second] = children(nodes, i);
  if (n.type === 'BinaryTest' && first && second) {
    if (ARITHMETIC_TESTS.has(text(bytes, first.end, second.start)))
      return 'an operand of an arithmetic comparison in `[[ ]]` (`-eq`, `-lt`, …), which bash evaluates as arithmetic';
  }
  if (n.type === 'UnaryTest' && first) {
    if (['-v', '-R'].includes(text(bytes, n.start, first.start)))
      return 'the variable name of `[[ -v … ]]`, whose array subscript bash evaluates';
  }
  if (n.type === 'DeclClause') return declaration(nodes, bytes, i, n);
  return undefined;
}

/**
 * `declare`/`typeset` read a value `(…)` as an array assignment (running `$(…)` in it) when the
 * variable is an array, which may be decided anywhere; `local`/`readonly` only with `-a -A -i -n`.
 */
function declaration(
  nodes: readonly ShellNode[],
  bytes: Buffer,
  i: number,
  n: ShellNode,
): string | undefined {
  const command = /^\S+/.exec(text(bytes, n.start, n.end))?.[0] ?? '';
  if (command === 'declare' || command === 'typeset')
    return `a value of \`${command}\`, which bash reads as arithmetic, a name or an array assignment \`(…)\` by the variable's attributes`;
  if (command !== 'local' && command !== 'readonly') return undefined;
  const flags = children(nodes, i).filter(
    (c) => c.type === 'Assign' && /^[-+]/.test(text(bytes, c.start, c.end)),
  );
  if (flags.some((c) => /[inaA]/.test(text(bytes, c.start, c.end))))
    return `a value of \`${command}\` with \`-a\`, \`-A\`, \`-i\` or \`-n\`, which bash reads as an array assignment, arithmetic or a name`;
  return undefined;
}
