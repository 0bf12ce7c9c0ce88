import { validateWorkflowFile } from '../../api/validate.js';
import { execTypesOptions } from '../tasker-options.js';
import { renderPlanMermaid, renderPlanTree } from '../../report/index.js';
import { printDiagnostics } from '../diagnostics.js';
import type { Io } from '../io.js';

type PlanFormat = 'tree' | 'json' | 'mermaid';

export interface PlanFlags {
  format: PlanFormat;
  vars: Record<string, string>;
  limit?: string;
  color: boolean;
}

/** `tasker plan FILE`: prints what would run; 2 with diagnostics when the file is invalid. */
export async function planCommand(file: string, flags: PlanFlags, io: Io): Promise<number> {
  const legacy = { ...execTypesOptions(undefined, process.env), env: process.env };
  const v = await validateWorkflowFile(file, { vars: flags.vars, limit: flags.limit, legacy });
  printDiagnostics(v.diagnostics, io, flags.color);
  if (!v.plan) return 2;
  switch (flags.format) {
    case 'json':
      io.out(JSON.stringify(v.plan, null, 2));
      break;
    case 'mermaid':
      io.out(renderPlanMermaid(v.plan));
      break;
    case 'tree':
      io.out(renderPlanTree(v.plan));
      break;
  }
  return 0;
}
