import type { Diagnostic } from '../model/diagnostic.js';
import { screenGlobalValue, strictEnvViolation } from './screening.js';
import { diag, type LegacyGlobal } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;

const GLOBAL_REF = /@([A-Za-z_][A-Za-z0-9_]*)@/g;
const MAX_EXTRA_PASSES = 10;

/** Python's os.path.expandvars: `$NAME` and `${NAME}`; unset variables stay as written. */
function expandEnv(text: string, env: Env): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, a?: string, b?: string) => env[a ?? b ?? ''] ?? whole,
  );
}

/**
 * TASKER's global substitution (S4): one pass replaces every defined `@NAME@`, then up to 10 more
 * passes while the text changes. What is left stays literal, cycles included.
 */
export function substituteGlobals(text: string, values: ReadonlyMap<string, string>): string {
  const pass = (s: string): string =>
    s.replace(GLOBAL_REF, (whole, name: string) => values.get(name) ?? whole);
  let out = pass(text);
  for (let i = 0; i < MAX_EXTRA_PASSES; i++) {
    const next = pass(out);
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Every global's value as TASKER holds it: `$VAR` expanded at parse time. */
export function globalValues(globals: Iterable<LegacyGlobal>, env: Env): Map<string, string> {
  return new Map([...globals].map((g) => [g.name, expandEnv(g.value, env)]));
}

/**
 * S2 and S3: every global is screened at parse time, used or not, after `$VAR` expansion; with
 * `strictEnv` each environment reference must name a `TASKER_` variable. No flag skips these.
 */
export function checkGlobals(
  globals: readonly LegacyGlobal[],
  file: string,
  env: Env,
  strictEnv: boolean,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const g of globals) {
    const why = screenGlobalValue(expandEnv(g.value, env));
    if (why)
      out.push(
        diag(
          file,
          g.line,
          'unsafe-value',
          `global variable '${g.name}': ${why}`,
          'TASKER refuses such globals even when unused: remove it or write the value without shell syntax or ../',
        ),
      );
    const bad = strictEnv ? strictEnvViolation(g.value) : undefined;
    if (bad !== undefined)
      out.push(
        diag(
          file,
          g.line,
          'undefined-var',
          `global variable '${g.name}' references $${bad}, which does not start with TASKER_ (--strict-env-validation)`,
          `rename the variable to TASKER_${bad}, or drop --strict-env-validation`,
        ),
      );
  }
  return out;
}
