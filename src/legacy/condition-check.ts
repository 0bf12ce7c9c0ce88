/**
 * TASKER's condition syntax check (reference S8), run on the text after global substitution:
 * the shape of the whole condition, then every `|`/`&` part against TASKER's list of patterns.
 */

/** The parts TASKER accepts, matched case-insensitively at the start of a part. */
const PART_PATTERNS: readonly RegExp[] = [
  /^exit_\d+$/i,
  /^exit_not_0$/i,
  /^stdout~/i,
  /^stdout!~/i,
  /^stdout(=|!=)/i,
  /^stdout(<|<=|>|>=)/i,
  /^stdout_count[=<>]/i,
  /^stderr~/i,
  /^stderr!~/i,
  /^stderr(=|!=)/i,
  /^stderr(<|<=|>|>=)/i,
  /^stderr_count[=<>]/i,
  /^(true|false)$/i,
  /^success$/i,
  /^[a-zA-Z_]\w*[=!<>~]/i,
  /^exit[=!<>]/i,
  /^@\d+_(stdout|stderr|success|exit)@$/i,
  /^@\d+_(stdout|stderr|success|exit)@[=!<>~]/i,
  /^contains:/i,
  /^not_contains:/i,
];

const VALID_FORMS =
  'exit_N, exit_not_0, success, true, false, stdout~TEXT, stdout!~TEXT, stdout=TEXT, stdout_count=N (same for stderr), NAME=VALUE, exit<N, @N_exit@, @N_stdout@~TEXT, contains:TEXT';

export interface ConditionProblem {
  message: string;
  hint: string;
}

const problem = (message: string, hint = `valid forms: ${VALID_FORMS}`): ConditionProblem => ({
  message,
  hint,
});

/** Why TASKER refuses a condition, or undefined when it accepts it. */
export function checkCondition(text: string): ConditionProblem | undefined {
  const s = text.trim();
  const shape = checkShape(s);
  if (shape) return shape;
  for (const raw of s.split(/[|&]/)) {
    const part = stripParens(raw.trim());
    if (/^exit=/i.test(part)) return problem(`invalid syntax '${part}'`, `write 'exit_${part.slice(5)}'`);
    if (PART_PATTERNS.some((p) => p.test(part))) continue;
    if (/^\w+,/.test(part))
      return problem(
        `unrecognized condition '${part}'`,
        "did you mean to use '|' (or) instead of ',' (comma)?",
      );
    return problem(`unrecognized condition '${part}'`);
  }
  return undefined;
}

function stripParens(part: string): string {
  return part.replace(/^\(+/, '').replace(/\)+$/, '').trim();
}

function checkShape(s: string): ConditionProblem | undefined {
  if (s === '') return problem('empty condition');
  if (/&&|\|\|/.test(s)) return problem(`double operator in '${s}'`, 'use a single & (and) or | (or)');
  if (/^[&|]|[&|]$/.test(s))
    return problem(`'${s}' starts or ends with & or |`, 'remove the dangling operator');
  let depth = 0;
  for (const ch of s) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) return problem(`unbalanced parentheses in '${s}'`, 'close every ( with )');
  if (/\([^)]*[&|][^)]*\)/.test(s))
    return problem(
      `operators inside parentheses in '${s}'`,
      'TASKER conditions have no grouping: write a|b or a&b without parentheses',
    );
  return undefined;
}
