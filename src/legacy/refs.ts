/** What `@…@` references can resolve to while translating one task file. */
export interface RefContext {
  /** Task id → step id of the occurrence that `@N_…@` reads. */
  stepIds: ReadonlyMap<number, string>;
  /** Task id → its `stdout_split` / `stderr_split` as [delimiter, index]. */
  splits: ReadonlyMap<number, { stdout?: [string, number]; stderr?: [string, number] }>;
  globals: ReadonlySet<string>;
}

const ANY_REF = /@(\d+)_(stdout_file|stderr_file|stdout|stderr|success|exit)@|@([A-Za-z_][A-Za-z0-9_]*)@/gi;
const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The keyword delimiters of `stdout_split` (TASKER §1.15), as literal text. */
const DELIMITERS: Readonly<Record<string, string>> = {
  space: ' ',
  whitespace: ' ',
  tab: '\t',
  newline: '\n',
  colon: ':',
  semicolon: ';',
  semi: ';',
  comma: ',',
  pipe: '|',
};

export function delimiterOf(word: string): string {
  return DELIMITERS[word] ?? word;
}

export const q = (text: string): string => JSON.stringify(text);

/** The expression reading `stdout`/`stderr` through a split: out of range keeps the whole text. */
export function splitExpr(base: string, split: [string, number] | undefined): string {
  if (!split || split[1] < 0) return base;
  return `(split(${base}, ${q(split[0])})[${split[1]}] ?? ${base})`;
}

/** A stream over this many bytes substitutes only its head, and `_file` names the whole (S11). */
const LARGE_STREAM_BYTES = 1_048_576;
const LARGE_STREAM_HEAD_CHARS = 102_400;

/** S11: a large stream's first 102,400 characters, else all of it; trailing newlines removed. */
function streamExpr(step: string, stream: 'stdout' | 'stderr'): string {
  const text = `steps.${step}.${stream}`;
  const large = `steps.${step}.${stream}_bytes > ${LARGE_STREAM_BYTES}`;
  return `if(${large}, trim_end(head(${text}, ${LARGE_STREAM_HEAD_CHARS}), "\\n"), trim_end(${text}, "\\n"))`;
}

/** S11: the path of the full output of a large stream, else empty. */
function streamFileExpr(step: string, stream: 'stdout' | 'stderr'): string {
  return `if(steps.${step}.${stream}_bytes > ${LARGE_STREAM_BYTES}, steps.${step}.${stream}_file, "")`;
}

/** The expression for `@N_field@`, or undefined when task N does not exist (TASKER leaves it literal). */
function resultRefExpr(ctx: RefContext, id: number, field: string): string | undefined {
  const step = ctx.stepIds.get(id);
  if (step === undefined) return undefined;
  const f = field.toLowerCase();
  if (f === 'stdout' || f === 'stderr') return splitExpr(streamExpr(step, f), ctx.splits.get(id)?.[f]);
  if (f === 'stdout_file' || f === 'stderr_file')
    return streamFileExpr(step, f === 'stdout_file' ? 'stdout' : 'stderr');
  return `steps.${step}.${f}`;
}

/** The expression for one `@…@` token, or undefined when it does not resolve. */
export function refExpr(ctx: RefContext, token: string): string | undefined {
  const m = /^@(\d+)_(stdout_file|stderr_file|stdout|stderr|success|exit)@$/i.exec(token);
  if (m) return resultRefExpr(ctx, Number(m[1]), m[2]!);
  const g = /^@([A-Za-z_][A-Za-z0-9_]*)@$/.exec(token);
  return g && ctx.globals.has(g[1]!) ? `vars.${g[1]}` : undefined;
}

export interface Translated {
  source: string;
  /** `@NAME@` tokens that name no global (TASKER leaves them literal). */
  undefinedGlobals: string[];
}

/**
 * A field value as tasker template source: `@N_stdout@` → `${{ steps.tN.stdout }}`, `@VAR@` →
 * `${{ vars.VAR }}`; with `env`, `$NAME` becomes the environment value (literal when unset).
 */
export function toTemplate(text: string, ctx: RefContext, env = false): Translated {
  const undefinedGlobals: string[] = [];
  let source = '';
  let last = 0;
  for (const m of text.matchAll(ANY_REF)) {
    const expr = refExpr(ctx, m[0]);
    source += literal(text.slice(last, m.index), env);
    if (expr === undefined) {
      if (m[3] !== undefined) undefinedGlobals.push(m[3]);
      source += m[0];
    } else source += `\${{ ${expr} }}`;
    last = m.index + m[0].length;
  }
  source += literal(text.slice(last), env);
  return { source, undefinedGlobals };
}

function literal(text: string, env: boolean): string {
  if (!env) return text;
  return text.replace(ENV_REF, (whole, a?: string, b?: string) => `\${{ env.${a ?? b} ?? ${q(whole)} }}`);
}

/** `@NAME@` tokens in a text. */
export function referencedGlobals(text: string): string[] {
  return [...text.matchAll(ANY_REF)].flatMap((m) => (m[3] === undefined ? [] : [m[3]]));
}
