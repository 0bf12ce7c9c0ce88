import { evaluatedBy } from './shell-evaluated.js';
import type { ShellNode } from './shell-syntax.js';

/** Where a value lands, decided on the parsed script; every other position is a Refusal. */
export type Placement =
  /** A plain word or part of one. `plain`: the whole word is the value, as an argument after the command name. */
  | { kind: 'bare'; backticks: number; plain: boolean }
  | { kind: 'double' | 'single'; backticks: number }
  /** The body of a here-document whose delimiter is quoted (`<<'EOF'`): taken literally. */
  | { kind: 'heredoc'; backticks: number; delimiter: string; bodyStart: number };

export interface Refusal {
  kind: 'refused';
  /** Completes "`${{ x }}` is …". */
  where: string;
  /** A fix specific to the position; the env: fix is always offered besides. */
  fix?: string;
  /** Bash evaluates the position as arithmetic or a name: even an env variable needs int() first. */
  numeric?: true;
}

const ARITHMETIC = new Set([
  'ArithmExp',
  'ArithmCmd',
  'LetClause',
  'CStyleLoop',
  'BinaryArithm',
  'UnaryArithm',
  'ParenArithm',
]);
const ARITHMETIC_WHERE = 'inside arithmetic (`$(( ))`, `$[ ]`, `(( ))`, `let`, `for ((…))`)';

/** Nodes a value may sit under, whatever lies between it and the top of the script. */
const NEUTRAL = new Set([
  'File',
  'Stmt',
  'CallExpr',
  'Word',
  'CmdSubst',
  'Subshell',
  'Block',
  'IfClause',
  'WhileClause',
  'ForClause',
  'WordIter',
  'CaseClause',
  'CaseItem',
  'BinaryCmd',
  'FuncDecl',
  'DeclClause',
  'TimeClause',
  'TestClause',
  'BinaryTest',
  'UnaryTest',
  'ParenTest',
  'ProcSubst',
]);

const refused = (where: string, fix?: string): Refusal =>
  fix === undefined ? { kind: 'refused', where } : { kind: 'refused', where, fix };

/** The leaf (Lit or SglQuoted) holding bytes [s, e) of the script, deepest first. */
function leafAt(nodes: readonly ShellNode[], s: number, e: number): number {
  let best = -1;
  nodes.forEach((n, i) => {
    if ((n.type === 'Lit' || n.type === 'SglQuoted') && n.start <= s && e <= n.end) best = i;
  });
  return best;
}

/** Places the value whose stand-in word occupies bytes [s, e) of `script` (UTF-8 `bytes`). */
export function classify(
  nodes: readonly ShellNode[],
  bytes: Buffer,
  s: number,
  e: number,
): Placement | Refusal {
  const comment = nodes.find((n) => n.type === 'Comment' && n.start <= s && e <= n.end);
  if (comment) return inComment(nodes, comment.start);
  const leaf = leafAt(nodes, s, e);
  const node = nodes[leaf];
  if (!node) return refused('in a place the shell parser does not read as part of a word');
  if (node.type === 'SglQuoted') {
    if (node.flag) return refused("inside `$'…'`, where backslash escapes are decoded");
    return walkUp(nodes, bytes, leaf, { kind: 'single', backticks: 0 });
  }
  const parent = nodes[node.parent];
  let placed: Placement | Refusal;
  if (parent?.type === 'DblQuoted') {
    if (parent.flag) return refused('inside `$"…"`, a translated string');
    placed = walkUp(nodes, bytes, leaf, { kind: 'double', backticks: 0 });
  } else if (parent?.type === 'Word') {
    const plain = node.start === s && node.end === e && parent.start === s && parent.end === e;
    const start: Placement = {
      kind: 'bare',
      backticks: 0,
      plain: plain && isArgument(nodes, node.parent, bytes[e]),
    };
    placed = walkUp(nodes, bytes, leaf, start);
  } else if (parent?.type === 'ParamExp' && bytes[s - 1] === 0x24) {
    return refused('right after a `$`', 'write `\\$` for a literal dollar sign');
  } else return describeOwner(parent);
  return placed.kind === 'refused' ? placed : gluedBefore(bytes, s, placed);
}

/** A `$` or `\\` right before the value would join it to the shell syntax (`$'…'`, `\\'`). */
function gluedBefore(bytes: Buffer, s: number, placed: Placement): Placement | Refusal {
  if (placed.kind === 'heredoc') return placed;
  let slashes = 0;
  const before = bytes[s - 1];
  if (before === 0x5c)
    return refused('right after a `\\`', 'remove the backslash, or put it in quotes: "\\\\"');
  if (before !== 0x24) return placed;
  while (bytes[s - 2 - slashes] === 0x5c) slashes++;
  // `\\$` is a literal dollar, except inside backticks, which remove that backslash first.
  if (slashes % 2 === 1 && placed.backticks === 0) return placed;
  return refused('right after a `$`', 'write `\\$` for a literal dollar sign');
}

// mvdan-sh 0.10 reads a `#` glued to the end of `$(…)`, `"…"` or `$x` as a comment; shells do not.
function inComment(nodes: readonly ShellNode[], hash: number): Refusal {
  if (!nodes.some((n) => n.type === 'Word' && n.end === hash)) return refused('inside a comment');
  return refused(
    'after a `#` glued to the word before it, which the shell parser tasker uses reads as a comment',
    "quote the `#` (`'#'`)",
  );
}

/** The word is an argument after the command name, not followed by a redirection operator. */
function isArgument(nodes: readonly ShellNode[], word: number, next: number | undefined): boolean {
  const w = nodes[word];
  const call = w ? nodes[w.parent] : undefined;
  if (!w || call?.type !== 'CallExpr' || next === 0x3c || next === 0x3e) return false;
  return nodes.some((n) => n.parent === w.parent && n.type === 'Word' && n.end <= w.start);
}

function describeOwner(owner: ShellNode | undefined): Refusal {
  switch (owner?.type) {
    case 'ParamExp':
      return refused('a parameter name in `${…}`');
    case 'Assign':
      return refused('the name of an assignment');
    case 'FuncDecl':
      return refused('the name of a function');
    case 'WordIter':
      return refused('the variable name of a `for` loop');
    case 'Redirect':
      return refused('a file-descriptor number of a redirection');
    default:
      return refused(`in a place tasker does not quote (${owner?.type ?? 'unknown'})`);
  }
}

/** Checks every node from the leaf to the top; each must be one a quoted value can sit under. */
function walkUp(
  nodes: readonly ShellNode[],
  bytes: Buffer,
  leaf: number,
  start: Placement,
): Placement | Refusal {
  let placement = start;
  let backticks = 0;
  for (let child = leaf, i = nodes[leaf]?.parent ?? -1; i >= 0; child = i, i = nodes[i]?.parent ?? -1) {
    const n = nodes[i];
    const c = nodes[child];
    if (!n || !c) break;
    if (n.type === 'ParamExp')
      return refused('inside a parameter expansion `${…}` (an operand such as `${X:-…}`)');
    if (ARITHMETIC.has(n.type)) return { ...refused(ARITHMETIC_WHERE), numeric: true };
    const evaluated = evaluatedBy(nodes, bytes, i);
    if (evaluated) return { ...refused(evaluated), numeric: true };
    if (n.type === 'ArrayExpr' || n.type === 'ArrayElem') return refused('inside an array');
    if (n.type === 'ExtGlob') return refused('inside an extended glob pattern');
    if (n.type === 'CmdSubst' && n.flag) backticks++;
    if (n.type === 'DblQuoted' && n.flag) return refused('inside `$"…"`, a translated string');
    // Inside "…`…`…" shells rewrite the backquoted text first (`\"` becomes `"`, and bash then
    // brace-expands `'"x{a,b}'`: found by the fuzzer); the parser does not model it.
    if (n.type === 'DblQuoted' && backticks > 0)
      return refused('inside backticks within double quotes', 'use `$( )` instead of backticks');
    if (n.type === 'Assign' && c.start !== n.at) return refused('in the name or index of an assignment');
    if (n.type === 'Redirect') {
      const r = redirectChild(nodes, bytes, i, child, placement);
      if (r.kind === 'refused') return r;
      placement = r;
    } else if (n.type !== 'DblQuoted' && n.type !== 'Assign' && !NEUTRAL.has(n.type)) {
      return refused(`inside a ${n.type} node, a place tasker does not quote`);
    }
  }
  if (placement.kind === 'heredoc' && backticks > 0)
    return refused('in a here-document inside backticks', 'use `$( )`');
  return { ...placement, backticks };
}

/** A redirection's target word is a plain word; a here-document body only when its delimiter is quoted. */
function redirectChild(
  nodes: readonly ShellNode[],
  bytes: Buffer,
  redirect: number,
  child: number,
  placement: Placement,
): Placement | Refusal {
  const r = nodes[redirect]!;
  const c = nodes[child]!;
  const op = operatorOf(bytes, r.start);
  if (op !== '<<' && op !== '<<-') return placement;
  const word = nodes.find((n) => n.parent === redirect && n.type === 'Word' && n.start < r.at);
  if (!word || r.at < 0 || c.start < r.at) return refused('in a here-document delimiter');
  if (op === '<<-')
    return refused(
      'in a `<<-` here-document body, where leading tabs of the value would be stripped',
      "use `<<'EOF'`: a YAML block scalar already removes the indentation",
    );
  const text = bytes.subarray(word.start, word.end).toString();
  if (!/['"\\]/.test(text))
    return refused(
      'in the body of an unquoted here-document, where `$`, `` ` `` and `\\` are live',
      "quote the delimiter (`<<'EOF'`) so the body is literal",
    );
  if (c.type !== 'Word' || placement.kind !== 'bare' || nodes[c.parent] !== r)
    return refused('inside a construct within a here-document body');
  return {
    kind: 'heredoc',
    backticks: 0,
    delimiter: text.replace(/['"\\]/g, ''),
    bodyStart: r.at,
  };
}

/** The operator of the redirection starting at byte `at` (after an fd number or `{name}`). */
function operatorOf(bytes: Buffer, at: number): string {
  let i = at;
  if (bytes[i] === 0x7b) while (i < bytes.length && bytes[i] !== 0x7d) i++;
  while (i < bytes.length && /[0-9}]/.test(String.fromCharCode(bytes[i]!))) i++;
  const head = bytes.subarray(i, i + 3).toString();
  if (head.startsWith('<<<')) return '<<<';
  if (head.startsWith('<<-')) return '<<-';
  return head.startsWith('<<') ? '<<' : head.slice(0, 1);
}
