import { checkCondition } from './condition-check.js';
import { q, refExpr, splitExpr, type RefContext } from './refs.js';

/** What a condition reads: the current task's result, or (pre-checks, decisions) exit 0 and empty output. */
export interface CondScope {
  refs: RefContext;
  exit: string;
  stdout: string;
  stderr: string;
  /** What the word `success` means here (in `next`: the task's own success). */
  success: string;
}

export type CondResult = { ok: true; source: string } | { ok: false; message: string; hint: string };

/** Scope for `success`/`failure`/`next`/`loop_break` of a task, after its own split. */
export function currentScope(refs: RefContext, id: number, success: string): CondScope {
  const split = refs.splits.get(id);
  return {
    refs,
    exit: 'exit',
    stdout: splitExpr('stdout', split?.stdout),
    stderr: splitExpr('stderr', split?.stderr),
    success,
  };
}

/** Scope of `condition` and decision blocks: TASKER evaluates them with exit 0 and empty output. */
export function emptyScope(refs: RefContext): CondScope {
  return { refs, exit: '0', stdout: '""', stderr: '""', success: 'true' };
}

/**
 * A TASKER condition as a tasker expression. `|` and `&` get the usual precedence (TASKER had none)
 * and split only outside quotes; each part is one of TASKER's simple conditions (§1.6).
 */
export function translateCondition(text: string, scope: CondScope): CondResult {
  const s = text.trim();
  const refused = checkCondition(s);
  if (refused) return { ok: false, ...refused };
  const ors: string[] = [];
  for (const orPart of splitOutside(s, '|')) {
    const ands: string[] = [];
    for (const part of splitOutside(orPart, '&')) {
      const one = simple(stripParens(part.trim()), scope);
      if (!one.ok) return one;
      ands.push(one.source);
    }
    ors.push(ands.length === 1 ? ands[0]! : ands.map(wrap).join(' && '));
  }
  return { ok: true, source: ors.length === 1 ? ors[0]! : ors.map(wrap).join(' || ') };
}

const wrap = (e: string): string => (/^[\w.]+$/.test(e) ? e : `(${e})`);

function bad(message: string, hint: string): CondResult {
  return { ok: false, message, hint };
}

/** Splits on `sep` outside double or single quotes. */
function splitOutside(s: string, sep: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let cur = '';
  for (const ch of s) {
    if (quote) quote = ch === quote ? '' : quote;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === sep) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts;
}

function stripParens(s: string): string {
  let t = s;
  while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1).trim();
  return t;
}

function simple(s: string, scope: CondScope): CondResult {
  const exit = /^exit_(not_0|-?\d+)$/.exec(s);
  if (exit) return ok(exit[1] === 'not_0' ? `${scope.exit} != 0` : `${scope.exit} == ${Number(exit[1])}`);
  // TASKER accepts other `exit_…` spellings (EXIT_0, exit_x) and evaluates them as false.
  if (/^exit_/i.test(s)) return ok('false');
  if (s.toLowerCase() === 'success') return ok(scope.success);
  const lower = s.toLowerCase();
  if (lower === 'true' || lower === 'false') return ok(lower);
  const stream = /^(stdout|stderr)/i.exec(s);
  if (stream && (s.includes('_count') || s.includes('~') || !/[=<>]/.test(s)))
    return streamTest(s, stream[1]!.toLowerCase(), scope);
  const legacy = /^(contains|not_contains):(.*)$/i.exec(s);
  if (legacy)
    return ok(
      `${legacy[1]!.toLowerCase() === 'contains' ? '' : '!'}contains(${scope.stdout}, ${q(unquotePattern(legacy[2]!))})`,
    );
  const cmp = comparison(s, scope);
  if (cmp) return cmp;
  const ref = refExpr(scope.refs, s);
  if (ref !== undefined) return ok(/_success$/.test(ref) ? `${ref} == true` : `lower(${ref}) == "true"`);
  return bad(`unrecognized condition '${s}'`, 'see docs/tasker-compat.md, Conditions');
}

const ok = (source: string): CondResult => ({ ok: true, source });

function streamTest(s: string, name: string, scope: CondScope): CondResult {
  const subject = name === 'stdout' ? scope.stdout : scope.stderr;
  const rest = s.slice(name.length);
  const count = /^_count\s*(=|<|>)\s*(\d+)$/.exec(rest);
  if (count) return ok(`len(lines(trim(${subject}))) ${count[1] === '=' ? '==' : count[1]} ${count[2]}`);
  if (rest === '~') return ok(`trim(${subject}) == ""`);
  if (rest === '!~') return ok(`trim(${subject}) != ""`);
  const m = /^(!?~)(.*)$/.exec(rest);
  if (m) return ok(`${m[1] === '!~' ? '!' : ''}contains(${subject}, ${q(unquotePattern(m[2]!))})`);
  return bad(`unrecognized condition '${s}'`, 'see docs/tasker-compat.md, Conditions');
}

const OPS = ['!~', '<=', '>=', '!=', '~', '=', '<', '>'] as const;

/** A comparison split at TASKER's operator (S6); `false` when a quoted right side never closes. */
function comparison(s: string, scope: CondScope): CondResult | undefined {
  const split = chooseOperator(s);
  if (split === undefined) return undefined;
  if (split === 'unclosed') return ok('false');
  const { op } = split;
  // A reference mixed with text is never a number: TASKER's numeric comparison of it is false.
  if (['<', '<=', '>', '>='].includes(op) && isMixedNonNumeric(split.left)) return ok('false');
  const left = operand(split.left, scope, true);
  const right = split.quoted ? ok(q(split.right)) : operand(split.right, scope, false);
  if (!left.ok) return left;
  if (!right.ok) return right;
  if (op === '~' || op === '!~')
    return ok(`${op === '!~' ? '!' : ''}contains(${left.source}, ${right.source})`);
  return ok(`${left.source} ${op === '=' ? '==' : op} ${right.source}`);
}

interface OperatorSplit {
  op: (typeof OPS)[number];
  left: string;
  right: string;
  quoted: boolean;
}

/**
 * Pass 1: in priority order, an operator whose right side is one quoted string ending the condition
 * wins. Pass 2: the first occurrence of the highest-priority operator present.
 */
function chooseOperator(s: string): OperatorSplit | 'unclosed' | undefined {
  for (const op of OPS) {
    const at = s.indexOf(op);
    if (at < 0) continue;
    const after = s.slice(at + op.length).trim();
    const quote = after[0];
    if (quote !== '"' && quote !== "'") continue;
    const close = closingQuote(after, quote);
    if (close < 0) return 'unclosed';
    if (close === after.length - 1) {
      const right = after.slice(1, -1).replaceAll(`\\${quote}`, quote);
      return { op, left: s.slice(0, at).trim(), right, quoted: true };
    }
  }
  const op = OPS.find((o) => s.includes(o));
  if (!op) return undefined;
  const at = s.indexOf(op);
  return { op, left: s.slice(0, at).trim(), right: s.slice(at + op.length).trim(), quoted: false };
}

function isMixedNonNumeric(text: string): boolean {
  const literal = text.replace(/@[A-Za-z0-9_]+@/g, '');
  return literal !== text && /[^\d.+\-eE\s]/.test(literal);
}

/** Index of the first unescaped `quote` after position 0, or -1. */
function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function operand(text: string, scope: CondScope, isLeft: boolean): CondResult {
  if (isLeft && text === 'exit') return ok(scope.exit);
  if (isLeft && text === 'stdout') return ok(scope.stdout);
  if (isLeft && text === 'stderr') return ok(scope.stderr);
  const ref = refExpr(scope.refs, text);
  if (ref !== undefined) return ok(ref);
  if (/@[A-Za-z0-9_]+@/.test(text))
    return bad(
      `'${text}' mixes a reference with other text, which tasker cannot compare (difference 19)`,
      'compare the reference alone, e.g. @0_stdout@=ready',
    );
  return ok(valueOf(text));
}

/** TASKER's convert_value: booleans, integers, floats, else text. */
function valueOf(text: string): string {
  const t = unquote(text);
  if (t !== text) return q(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase();
  if (/^-?\d+$/.test(t) || (/^-?\d*\.\d+$/.test(t) && t.includes('.'))) return String(Number(t));
  return q(t);
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0])
    return t.slice(1, -1).replace(/\\"/g, '"');
  return t;
}

/** S7: a stream pattern loses a matching pair of quotes, or only its leading quote when unclosed. */
function unquotePattern(text: string): string {
  const t = text.trim();
  const first = t[0];
  if (first !== '"' && first !== "'") return t;
  return t.length >= 2 && t.at(-1) === first ? t.slice(1, -1) : t.slice(1);
}
