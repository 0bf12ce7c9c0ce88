import type { Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { decodeText } from './text.js';
import { readWorkflow } from './workflow.js';
import { parseYaml } from './yaml.js';

export interface ParseOutput {
  workflow?: Workflow;
  diagnostics: Diagnostic[];
}

/** Best effort: `workflow` is present whenever the YAML is a mapping, even with errors (bad keys dropped). */
export function parseWorkflowText(text: string | Uint8Array, file: string): ParseOutput {
  const decoded = decodeText(text, file);
  if (decoded.kind === 'error') return { diagnostics: [decoded.diagnostic] };
  const diagnostics: Diagnostic[] = [];
  const ctx = parseYaml(decoded.text, file, diagnostics);
  if (!ctx) return { diagnostics };
  const workflow = readWorkflow(ctx);
  return workflow ? { workflow, diagnostics } : { diagnostics };
}
