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

const PATTERNS =
  'exit_N, exit_not_0, success, stdout~TEXT, stdout!~TEXT, stdout_count=N, stdout=TEXT, exit<N, @N_exit@=0, true, false';

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
  const shape = checkShape(s);
  if (shape) return shape;
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

function bad(message: string, hint = `valid forms: ${PATTERNS}`): CondResult {
  return { ok: false, message, hint };
}

function checkShape(s: string): CondResult | undefined {
  if (s === '') return bad('empty condition');
  if (/&&|\|\|/.test(s)) return bad(`double operator in '${s}'`, 'use a single & (and) or | (or)');
  if (/^[&|]|[&|]$/.test(s)) return bad(`'${s}' starts or ends with & or |`, 'remove the dangling operator');
  let depth = 0;
  for (const ch of s) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) return bad(`unbalanced parentheses in '${s}'`, 'close every ( with )');
  if (/\([^)]*[&|][^)]*\)/.test(s))
    return bad(
      `operators inside parentheses in '${s}'`,
      'TASKER conditions have no grouping: write a|b or a&b without parentheses',
    );
  return undefined;
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
  if (s.includes(',') && !/[~=<>]/.test(s))
    return bad(`unrecognized condition '${s}'`, "did you mean to use '|' (or) instead of ',' (comma)?");
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
      `${legacy[1]!.toLowerCase() === 'contains' ? '' : '!'}contains(${scope.stdout}, ${q(unquote(legacy[2]!))})`,
    );
  if (/^exit=/.test(s)) return bad(`invalid syntax '${s}'`, `use 'exit_${s.slice(5)}' instead`);
  const cmp = comparison(s, scope);
  if (cmp) return cmp;
  const ref = refExpr(scope.refs, s);
  if (ref !== undefined) return ok(/_success$/.test(ref) ? `${ref} == true` : `lower(${ref}) == "true"`);
  return bad(`unrecognized condition '${s}'`);
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
  if (m) return ok(`${m[1] === '!~' ? '!' : ''}contains(${subject}, ${q(unquote(m[2]!))})`);
  return bad(`unrecognized condition '${s}'`);
}

const OPS = ['!~', '<=', '>=', '!=', '~', '=', '<', '>'] as const;

function comparison(s: string, scope: CondScope): CondResult | undefined {
  const op = OPS.find((o) => s.includes(o));
  if (!op) return undefined;
  const at = s.indexOf(op);
  const left = operand(s.slice(0, at).trim(), scope, true);
  const right = operand(s.slice(at + op.length).trim(), scope, false);
  if (!left.ok) return left;
  if (!right.ok) return right;
  if (op === '~' || op === '!~')
    return ok(`${op === '!~' ? '!' : ''}contains(${left.source}, ${right.source})`);
  return ok(`${left.source} ${op === '=' ? '==' : op} ${right.source}`);
}

function operand(text: string, scope: CondScope, isLeft: boolean): CondResult {
  if (isLeft && text === 'exit') return ok(scope.exit);
  if (isLeft && text === 'stdout') return ok(scope.stdout);
  if (isLeft && text === 'stderr') return ok(scope.stderr);
  const ref = refExpr(scope.refs, text);
  if (ref !== undefined) return ok(ref);
  if (/@[A-Za-z0-9_]+@/.test(text))
    return bad(
      `'${text}' mixes a reference with other text`,
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
