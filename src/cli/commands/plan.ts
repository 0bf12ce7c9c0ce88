import { validateWorkflowFile } from '../../api/validate.js';
import { formatDiagnostic, renderPlanMermaid, renderPlanTree } from '../../report/index.js';
import { sourceReader } from '../source-cache.js';
import type { Io } from '../io.js';

export type PlanFormat = 'tree' | 'json' | 'mermaid';

export interface PlanFlags {
  format: PlanFormat;
  vars: Record<string, string>;
  limit?: string;
  color: boolean;
}

/** `tasker plan FILE`: prints what would run; 2 with diagnostics when the file is invalid. */
export async function planCommand(file: string, flags: PlanFlags, io: Io): Promise<number> {
  const v = await validateWorkflowFile(file, { vars: flags.vars, limit: flags.limit });
  const source = sourceReader();
  for (const d of v.diagnostics)
    io.err(formatDiagnostic(d, source(d.span.file), { color: flags.color }) + '\n');
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
