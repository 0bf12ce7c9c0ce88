import type { Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Garbled } from './context.js';
import { dropConsequences } from './garbled.js';
import { decodeText } from './text.js';
import { readWorkflow } from './workflow.js';
import { parseYaml } from './yaml.js';

export interface ParseOutput {
  workflow?: Workflow;
  diagnostics: Diagnostic[];
  /** Where YAML misread the file (an over-indented key): later stages drop what follows from it. */
  garbled?: Garbled[];
}

/** Best effort: `workflow` is present whenever the YAML is a mapping, even with errors (bad keys dropped). */
export function parseWorkflowText(text: string | Uint8Array, file: string): ParseOutput {
  const decoded = decodeText(text, file);
  if (decoded.kind === 'error') return { diagnostics: [decoded.diagnostic] };
  const diagnostics: Diagnostic[] = [];
  const ctx = parseYaml(decoded.text, file, diagnostics);
  if (!ctx) return { diagnostics };
  const workflow = readWorkflow(ctx);
  // The indentation diagnostic names the cause; `run must be a command string, got a mapping` is its echo.
  const kept = dropConsequences(diagnostics, ctx.garbled);
  const garbled = ctx.garbled.length > 0 ? { garbled: ctx.garbled } : {};
  return workflow ? { workflow, diagnostics: kept, ...garbled } : { diagnostics: kept, ...garbled };
}
