import { execOf } from './command.js';
import { field, report, type Tx } from './context.js';
import { referencedGlobals } from './refs.js';
import type { LegacyTask } from './types.js';

const METACHARS = /[;&|$`()<>\\"'\r\n]/;
const INJECTION = /;|&&|\|\||\||`|\$\(|>|</;
const TRAVERSAL = /\.\.\/|\/etc\/(passwd|shadow|sudoers)/;

/** TASKER's sanitizer: no shell syntax outside exec=shell, no path traversal, bounded arguments. */
export function checkSecurity(tx: Tx, task: LegacyTask): void {
  const shell = execOf(tx, task) === 'shell';
  const cmd = field(task, 'command');
  const args = field(task, 'arguments');
  const host = field(task, 'hostname');
  if (cmd && !shell && METACHARS.test(cmd.value.replace(/@[A-Za-z0-9_]+@/g, '')))
    report(
      tx,
      cmd.line,
      'unsafe-value',
      `task ${task.id}: command contains shell metacharacters: '${cmd.value.slice(0, 60)}'`,
      'use exec=shell if a shell is intended',
    );
  if (args && !shell && INJECTION.test(args.value))
    report(
      tx,
      args.line,
      'unsafe-value',
      `task ${task.id}: arguments contain shell syntax: '${args.value.slice(0, 60)}'`,
      'use exec=shell if a shell is intended',
    );
  if (args && TRAVERSAL.test(args.value))
    report(
      tx,
      args.line,
      'unsafe-value',
      `task ${task.id}: arguments contain a path traversal pattern: '${args.value.slice(0, 60)}'`,
      'use an absolute path without ../ (or --skip-security-validation)',
    );
  if (args && args.value.length > 2000)
    report(
      tx,
      args.line,
      'unsafe-value',
      `task ${task.id}: arguments are ${args.value.length} characters (maximum 2000)`,
      'shorten the arguments',
    );
  if (host && METACHARS.test(host.value))
    report(
      tx,
      host.line,
      'unsafe-value',
      `task ${task.id}: hostname contains shell metacharacters: '${host.value.slice(0, 60)}'`,
      'write a plain host name',
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
