import { field, report, resolveGlobals, type Tx } from './context.js';
import { isLenientExec, screenArguments, screenCommand, screenHostname } from './screening.js';
import type { TaskKind } from './task.js';
import { referencedGlobals } from './refs.js';
import type { LegacyTask } from './types.js';

/** S1: every task's `command`, `arguments`, `hostname` on the raw text; strict unless its own `exec=` is a shell. */
export function checkSecurity(tx: Tx, task: LegacyTask, kind: TaskKind): void {
  const exec = field(task, 'exec');
  const lenient = isLenientExec(exec ? resolveGlobals(tx, exec.value) : undefined);
  const screens: [string, (text: string) => string | undefined][] = [
    ['command', (t) => (t === '' && kind === 'normal' ? undefined : screenCommand(t, lenient))],
    ['arguments', (t) => screenArguments(t, lenient)],
    ['hostname', screenHostname],
  ];
  for (const [key, screen] of screens) {
    const f = field(task, key);
    const why = f ? screen(f.value) : undefined;
    if (f && why) report(tx, f.line, 'unsafe-value', `task ${task.id}: ${why}`, HINTS[key]!);
  }
  for (const [key, f] of task.fields)
    if (f.value.includes('\0'))
      report(
        tx,
        f.line,
        'unsafe-value',
        `task ${task.id}: field '${key}' contains a NUL character`,
        'remove it',
      );
}

const HINTS: Readonly<Record<string, string>> = {
  command: 'use exec=shell if a shell is intended (or --skip-security-validation)',
  arguments: 'use exec=shell for shell syntax; paths must not climb with ../ (or --skip-security-validation)',
  hostname: 'write a plain host name',
};

/** S14 step 1: a host name that still holds `@NAME@` after global substitution cannot be checked or reached. */
export function checkUnresolvedHost(tx: Tx, task: LegacyTask): void {
  const f = field(task, 'hostname');
  if (!f || f.value === '' || tx.options.skipHostValidation) return;
  const left = /@([A-Za-z_][A-Za-z0-9_]*)@/.exec(resolveGlobals(tx, f.value));
  if (!left) return;
  report(
    tx,
    f.line,
    'undefined-var',
    `task ${task.id}: hostname '${f.value}' still holds @${left[1]}@ after global substitution`,
    `define ${left[1]}=…, or pass --skip-unresolved-host-validation`,
    tx.options.allowUnresolvedHosts ? 'warning' : 'error',
  );
}

/** `@VAR@` must name a global; a used global must not reference an unset environment variable. */
export function checkGlobalRefs(tx: Tx, task: LegacyTask): void {
  for (const [key, f] of task.fields) {
    for (const name of referencedGlobals(f.value)) {
      if (name === 'task' && task.fields.has('hostnames')) continue;
      if (!tx.globals.has(name))
        report(
          tx,
          f.line,
          'undefined-var',
          `task ${task.id} field '${key}' references undefined global variable '@${name}@'`,
          `define it before the first task as ${name}=value`,
        );
      else if (tx.options.env && /\$\{?[A-Za-z_]/.test(tx.globals.get(name)!.value)) {
        const g = tx.globals.get(name)!;
        const missing = [...g.value.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)]
          .map((m) => m[1]!)
          .filter((v) => tx.options.env![v] === undefined);
        if (missing.length > 0)
          report(
            tx,
            g.line,
            'undefined-var',
            `environment variable expansion failed for used global variable '${name}' ($${missing[0]} is not set)`,
            `export ${missing[0]} before running, or give ${name} a literal value`,
          );
      }
    }
  }
}
