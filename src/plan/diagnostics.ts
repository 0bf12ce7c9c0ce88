import type { DiagCode, Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';

export function planError(code: DiagCode, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined
    ? { code, severity: 'error', message, span }
    : { code, severity: 'error', message, span, hint };
}

export function planWarning(code: DiagCode, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined
    ? { code, severity: 'warning', message, span }
    : { code, severity: 'warning', message, span, hint };
}
