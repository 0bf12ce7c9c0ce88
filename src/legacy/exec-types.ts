import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** An exec type: argv built from `command_template` (`{binary} {hostname} {command} {arguments} {arguments_split}`). */
export interface ExecType {
  name: string;
  binary: string;
  template: string[];
  timeoutS?: number;
}

export interface ExecTypes {
  types: ReadonlyMap<string, ExecType>;
  aliases: ReadonlyMap<string, string>;
  /** `platforms.linux.default_exec_type`; `local` without one. */
  defaultType: string;
  defaultTimeoutS: number;
  /** The configuration file read, if any. */
  source?: string;
}

const SHELL: ExecType = {
  name: 'shell',
  binary: '/bin/bash',
  template: ['{binary}', '-c', '{command} {arguments}'],
};
const BUILTIN_ALIASES: [string, string][] = [
  ['bash', 'shell'],
  ['sh', 'shell'],
  ['/bin/bash', 'shell'],
  ['/bin/sh', 'shell'],
];

/** Where TASKER looks: `<dir of the program>/cfg/execution_types.yaml`, then `./cfg/execution_types.yaml`. */
export function execTypeSearchPaths(programPath: string | undefined, cwd: string): string[] {
  const paths: string[] = [];
  if (programPath) {
    try {
      paths.push(join(dirname(realpathSync(programPath)), 'cfg', 'execution_types.yaml'));
    } catch {
      // A program path that does not resolve has no config next to it.
    }
  }
  paths.push(resolve(cwd, 'cfg', 'execution_types.yaml'));
  return paths;
}

/** Reads the first configuration found; `shell` and `local` exist without one. */
export function loadExecTypes(paths: readonly string[]): ExecTypes {
  const found = paths.find((p) => existsSync(p));
  const types = new Map<string, ExecType>([['shell', SHELL]]);
  const aliases = new Map<string, string>(BUILTIN_ALIASES);
  const out = { types, aliases, defaultType: 'local', defaultTimeoutS: 300 };
  if (!found) return out;
  const doc: unknown = parseYaml(readFileSync(found, 'utf8'));
  const linux = pick(pick(doc, 'platforms'), 'linux');
  for (const [name, value] of Object.entries(asRecord(linux))) {
    if (name === 'default_exec_type' && typeof value === 'string') out.defaultType = value.toLowerCase();
    else if (name === 'default_timeout' && typeof value === 'number') out.defaultTimeoutS = value;
    else {
      const t = execTypeOf(name, value);
      if (t) types.set(name.toLowerCase(), t);
    }
  }
  for (const [from, to] of Object.entries(asRecord(pick(doc, 'aliases')))) {
    if (typeof to === 'string') aliases.set(from.toLowerCase(), to.toLowerCase());
  }
  return { ...out, source: found };
}

function execTypeOf(name: string, value: unknown): ExecType | undefined {
  const r = asRecord(value);
  const template = r.command_template;
  if (typeof r.binary !== 'string' || !Array.isArray(template)) return undefined;
  const t: ExecType = { name: name.toLowerCase(), binary: r.binary, template: template.map(String) };
  if (typeof r.timeout === 'number') t.timeoutS = r.timeout;
  return t;
}

/** The canonical name of an exec type (aliases applied, lower-cased). */
export function canonicalExec(types: ExecTypes, name: string): string {
  const n = name.trim().toLowerCase();
  return types.aliases.get(n) ?? n;
}

function pick(v: unknown, key: string): unknown {
  return asRecord(v)[key];
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
