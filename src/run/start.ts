import { templateValue } from '../expr/index.js';
import type { Template, Value } from '../model/expr.js';
import type { Plan } from '../model/plan.js';
import { createMasker, MIN_SECRET_LENGTH, type Masker } from '../output/index.js';
import { describeEvalError } from './render-command.js';

export type Start =
  | { ok: true; vars: Record<string, Value>; unknownVars: Set<string>; masker: Masker }
  | { ok: false; error: string; masker: Masker };

/** Declared secrets that the environment does not set. */
export function missingSecrets(plan: Plan, env: Readonly<Record<string, string | undefined>>): string[] {
  return plan.secrets.filter((name) => env[name] === undefined);
}

/**
 * Reads secrets from the environment and evaluates vars in order; any problem means nothing runs.
 * A dry run goes on without unset secrets: they, and vars computed from them, are unknown. A secret
 * of 1 or 2 characters is refused: it could not be masked, and it must never show unmasked.
 */
export function prepareStart(
  plan: Plan,
  env: Readonly<Record<string, string | undefined>>,
  dryRun = false,
): Start {
  const missing = missingSecrets(plan, env);
  const masker = createMasker(plan.secrets.map((name) => env[name] ?? ''));
  if (missing.length > 0 && !dryRun) {
    const names = missing.join(', ');
    const error = `secret${missing.length > 1 ? 's' : ''} ${names} not set: export ${missing.length > 1 ? 'them' : 'it'} in the environment, or pass a file of NAME=value lines with --secret-file`;
    return { ok: false, error, masker };
  }
  const short = plan.secrets.filter((name) => {
    const length = (env[name] ?? '').length;
    return length > 0 && length < MIN_SECRET_LENGTH;
  });
  if (short.length > 0) {
    const error = `secret${short.length > 1 ? 's' : ''} ${short.join(', ')} ${short.length > 1 ? 'are' : 'is'} shorter than ${MIN_SECRET_LENGTH} characters: so short a value cannot be masked in output without masking every occurrence of those letters; use a longer value, or remove it from \`secrets:\``;
    return { ok: false, error, masker };
  }
  const vars: Record<string, Value> = {};
  const unknownVars = new Set<string>();
  for (const v of plan.vars) {
    if (!isTemplate(v.value)) {
      vars[v.name] = v.value;
      continue;
    }
    const r = templateValue(v.value, { vars, env, steps: {}, ...(dryRun ? { dryRun, unknownVars } : {}) });
    if (!r.ok) {
      const error = `${describeEvalError(`cannot evaluate var "${v.name}"`, r.error)}; fix the expression or pass --var ${v.name}=VALUE`;
      return { ok: false, error: masker.mask(error), masker };
    }
    if (r.unknown !== undefined) unknownVars.add(v.name);
    vars[v.name] = r.value;
  }
  return { ok: true, vars, unknownVars, masker };
}

function isTemplate(v: Template | Value): v is Template {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'parts' in v;
}
