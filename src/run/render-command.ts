import type { ExecCommand } from '../exec/types.js';
import { renderTemplate, type EvalError } from '../expr/index.js';
import type { EvalContext, Template } from '../model/expr.js';
import type { CommandSpec, CopySpec } from '../model/plan.js';

export interface RenderedCommand {
  command: ExecCommand;
  env: Record<string, string>;
  cwd?: string;
  stdin?: string;
  /** Unmasked; the caller masks it before it leaves the runner. */
  display: string;
}

export interface RenderedCopy {
  src: string;
  dest: string;
  display: string;
}

export type Rendered<T> = { ok: true; value: T } | { ok: false; message: string };

/** Shell scripts quote interpolated values for the shell; argv, env, cwd and stdin take them as text. */
export function renderCommand(spec: CommandSpec, ctx: EvalContext): Rendered<RenderedCommand> {
  try {
    const command: ExecCommand =
      spec.command.kind === 'shell'
        ? { kind: 'shell', script: render(spec.command.script, ctx, 'shell', 'command') }
        : {
            kind: 'argv',
            argv: spec.command.args.map((a, i) => render(a, ctx, 'plain', `argument ${i + 1}`)),
          };
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(spec.env))
      env[name] = render(value, ctx, 'plain', `env ${name}`);
    const out: RenderedCommand = { command, env, display: displayOf(command) };
    if (spec.cwd) out.cwd = render(spec.cwd, ctx, 'plain', 'cwd');
    if (spec.stdin) out.stdin = render(spec.stdin, ctx, 'plain', 'stdin');
    return { ok: true, value: out };
  } catch (e) {
    if (e instanceof RenderFailure) return { ok: false, message: e.message };
    throw e;
  }
}

export function renderCopy(spec: CopySpec, ctx: EvalContext): Rendered<RenderedCopy> {
  try {
    const src = render(spec.src, ctx, 'plain', 'copy src');
    const dest = render(spec.dest, ctx, 'plain', 'copy dest');
    return { ok: true, value: { src, dest, display: `copy ${src} -> ${dest}` } };
  } catch (e) {
    if (e instanceof RenderFailure) return { ok: false, message: e.message };
    throw e;
  }
}

/** An evaluation error as one line that names where it was written. */
export function describeEvalError(what: string, error: EvalError): string {
  const { file, line, col } = error.span;
  return `${what} at ${file}:${line}:${col}: ${error.message}`;
}

// Internal only: lets the renderers above stop at the first failing template.
class RenderFailure extends Error {}

function render(t: Template, ctx: EvalContext, mode: 'shell' | 'plain', what: string): string {
  const r = renderTemplate(t, ctx, mode);
  if (!r.ok) throw new RenderFailure(describeEvalError(`cannot render ${what}`, r.error));
  return r.value;
}

function displayOf(command: ExecCommand): string {
  if (command.kind === 'shell') return command.script;
  return command.argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}
