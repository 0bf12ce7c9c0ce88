import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** An exec type: argv built from `command_template` (`{binary} {hostname} {command} {arguments} {arguments_split}`). */
export interface ExecType {
  name: string;
  binary: string;
  template: string[];
  timeoutS?: number;
  /** How host pre-validation (S14) checks a host can be reached with this type. */
  validationTest?: ValidationTest;
}

interface ValidationTest {
  command: string;
  arguments: string;
  expectedExit: number;
  expectedOutput?: string;
  timeoutS?: number;
}

export interface ExecTypes {
  types: ReadonlyMap<string, ExecType>;
  aliases: ReadonlyMap<string, string>;
  /** `platforms.linux.default_exec_type`; `local` without one. */
  defaultType: string;
  defaultTimeoutS: number;
  /** `platforms.linux.default_validation_timeout`. */
  validationTimeoutS?: number;
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

/** What decides where `execution_types.yaml` is looked up; cli/ fills it from argv, cwd and the environment. */
export interface ExecTypesLookup {
  /** `--exec-types FILE`: this file only, and it must exist. */
  flag?: string;
  /** `$TASKER_EXEC_TYPES`, `$XDG_CONFIG_HOME`, `$HOME`. */
  env: Readonly<Record<string, string | undefined>>;
  /** The running program (TASKER looks in `cfg/` beside it). */
  programPath?: string;
  cwd: string;
}

/**
 * The files to try, first found wins: the flag, else `$TASKER_EXEC_TYPES` (either one alone and
 * required); else TASKER's places (`<program dir>/cfg/`, `./cfg/`), then `$XDG_CONFIG_HOME/tasker/`.
 */
export function execTypeSearchPaths(l: ExecTypesLookup): { paths: string[]; required: boolean } {
  const explicit = l.flag ?? (l.env.TASKER_EXEC_TYPES || undefined);
  if (explicit !== undefined) return { paths: [resolve(l.cwd, explicit)], required: true };
  const paths: string[] = [];
  if (l.programPath) {
    try {
      paths.push(join(dirname(realpathSync(l.programPath)), 'cfg', 'execution_types.yaml'));
    } catch {
      // A program path that does not resolve has no config next to it.
    }
  }
  paths.push(resolve(l.cwd, 'cfg', 'execution_types.yaml'));
  const config = l.env.XDG_CONFIG_HOME || (l.env.HOME ? join(l.env.HOME, '.config') : undefined);
  if (config) paths.push(join(config, 'tasker', 'execution_types.yaml'));
  return { paths, required: false };
}

/** Built-in types only: what a task file gets without a configuration file. */
export function builtinExecTypes(): ExecTypes {
  return {
    types: new Map([['shell', SHELL]]),
    aliases: new Map(BUILTIN_ALIASES),
    defaultType: 'local',
    defaultTimeoutS: 300,
  };
}

/** Reads the first configuration found; `shell` and `local` exist without one. Throws on unreadable YAML. */
export function loadExecTypes(paths: readonly string[]): ExecTypes {
  const found = paths.find((p) => existsSync(p));
  const out = builtinExecTypes();
  if (!found) return out;
  const types = out.types as Map<string, ExecType>;
  const aliases = out.aliases as Map<string, string>;
  const doc: unknown = parseYaml(readFileSync(found, 'utf8'));
  const linux = asRecord(pick(pick(doc, 'platforms'), 'linux'));
  for (const [name, value] of Object.entries(linux)) {
    if (name === 'default_exec_type' && typeof value === 'string') out.defaultType = value.toLowerCase();
    else if (name === 'default_timeout' && typeof value === 'number') out.defaultTimeoutS = value;
    else if (name === 'default_validation_timeout' && typeof value === 'number')
      out.validationTimeoutS = value;
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
  const test = validationTestOf(r.validation_test);
  if (test) t.validationTest = test;
  return t;
}

/** `validation_test: {command, arguments, expected_exit, expected_output, timeout}` (S14). */
function validationTestOf(value: unknown): ValidationTest | undefined {
  const r = asRecord(value);
  if (typeof r.command !== 'string') return undefined;
  const test: ValidationTest = {
    command: r.command,
    arguments: typeof r.arguments === 'string' ? r.arguments : '',
    expectedExit: typeof r.expected_exit === 'number' ? r.expected_exit : 0,
  };
  if (typeof r.expected_output === 'string') test.expectedOutput = r.expected_output;
  if (typeof r.timeout === 'number') test.timeoutS = r.timeout;
  return test;
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
