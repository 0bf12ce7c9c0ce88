import type { Diagnostic } from '../model/diagnostic.js';
import type { RawVar } from './ansible-model.js';

/** Why a well-known variable does nothing in tasker, for the warning that names it. */
const IGNORED_BECAUSE: readonly [RegExp, string][] = [
  [
    /^ansible_(become|sudo|su)/,
    'tasker does not escalate from inventory variables; use `sudo:` on the steps that need it',
  ],
  [/^ansible_(ssh_)?pass(word)?$/, 'tasker does not log in with passwords; use a key or ssh-agent'],
  [/^ansible_.*python_interpreter$/, 'tasker runs no Python on the host'],
  [
    /^ansible_shell_(type|executable)$|^ansible_shell_executable$/,
    'tasker runs commands with the login shell and `sh -c`',
  ],
];

/** Shared across hosts so each variable definition is reported once, and ignored names once each. */
export class HostDiagnostics {
  private readonly reported = new Map<RawVar, Set<string>>();
  private readonly ignored = new Map<string, { first: RawVar; defs: Set<RawVar> }>();
  constructor(readonly diagnostics: Diagnostic[]) {}

  /** Reports once per variable definition (and kind of message, told apart by the message's first word). */
  once(v: RawVar, severity: Diagnostic['severity'], message: string, hint: string, span = v.valueSpan): void {
    const tags = this.reported.get(v) ?? new Set<string>();
    const tag = `${severity}:${message.split(' ')[1] ?? ''}:${hint}`;
    if (tags.has(tag)) return;
    tags.add(tag);
    this.reported.set(v, tags);
    this.diagnostics.push({ code: 'inventory', severity, message, span, hint });
  }

  ignore(v: RawVar): void {
    const seen = this.ignored.get(v.name) ?? { first: v, defs: new Set<RawVar>() };
    seen.defs.add(v);
    this.ignored.set(v.name, seen);
  }

  /** One warning per ignored `ansible_*` name, at its first definition. */
  flush(): void {
    const byPlace = [...this.ignored].sort(
      ([, a], [, b]) =>
        a.first.nameSpan.line - b.first.nameSpan.line || a.first.nameSpan.col - b.first.nameSpan.col,
    );
    for (const [name, { first, defs }] of byPlace) {
      const why = IGNORED_BECAUSE.find(([re]) => re.test(name))?.[1] ?? 'tasker does not use it';
      const more = defs.size > 1 ? ` (and ${defs.size - 1} more definition${defs.size > 2 ? 's' : ''})` : '';
      this.diagnostics.push({
        code: 'inventory',
        severity: 'warning',
        message: `${name} is ignored${more}: ${why}`,
        span: first.nameSpan,
        hint: 'remove it from what tasker reads, or accept that it has no effect here',
      });
    }
  }
}
