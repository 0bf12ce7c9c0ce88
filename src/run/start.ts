import { templateValue } from '../expr/index.js';
import type { Template, Value } from '../model/expr.js';
import type { Plan } from '../model/plan.js';
import { createMasker, type Masker } from '../output/index.js';
import { describeEvalError } from './render-command.js';

export type Start =
  { ok: true; vars: Record<string, Value>; masker: Masker } | { ok: false; error: string; masker: Masker };

/** Reads secrets from the environment and evaluates vars in order; any problem means nothing runs. */
export function prepareStart(plan: Plan, env: Readonly<Record<string, string | undefined>>): Start {
  const missing = plan.secrets.filter((name) => env[name] === undefined);
  const masker = createMasker(plan.secrets.map((name) => env[name] ?? ''));
  if (missing.length > 0) {
    const names = missing.join(', ');
    const error = `secret${missing.length > 1 ? 's' : ''} ${names} not set: export ${missing.length > 1 ? 'them' : 'it'} in the environment, or pass a file of NAME=value lines with --secret-file`;
    return { ok: false, error, masker };
  }
  const vars: Record<string, Value> = {};
  for (const v of plan.vars) {
    if (!isTemplate(v.value)) {
      vars[v.name] = v.value;
      continue;
    }
    const r = templateValue(v.value, { vars, env, steps: {} });
    if (!r.ok) {
      const error = `${describeEvalError(`cannot evaluate var "${v.name}"`, r.error)}; fix the expression or pass --var ${v.name}=VALUE`;
      return { ok: false, error: masker.mask(error), masker };
    }
    vars[v.name] = r.value;
  }
  return { ok: true, vars, masker };
}

function isTemplate(v: Template | Value): v is Template {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'parts' in v;
}
