import { diag, TASK_FIELDS, type LegacyGlobal, type LegacyTask, type TaskFile } from './types.js';

const GLOBAL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INLINE_COMMENT = /\s#\s*\S/;
const FIELD_NAMES: ReadonlySet<string> = new Set(TASK_FIELDS);

/** Splits a task file into file-defined arguments, globals and tasks (TASKER's lexical rules, §1.1). */
export function readTaskFile(text: string, file: string): TaskFile {
  const out: TaskFile = { file, args: [], globals: [], tasks: [], header: [], diagnostics: [] };
  const lines = text.split(/\r?\n/);
  let pending: string[] = [];
  let current: LegacyTask | undefined;
  let inArgs = true;
  let inTasks = false;
  const seen = new Map<number, number>();
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const s = raw.trim();
    if (s === '') continue;
    if (s.startsWith('#')) {
      pending.push(s.slice(1).trim());
      continue;
    }
    if (inArgs && s.startsWith('-')) {
      out.args.push({ text: s, line });
      continue;
    }
    if (s.startsWith('-')) continue; // TASKER ignores argument lines after the first key=value line
    const eq = s.indexOf('=');
    // The header of argument lines ends at the first line with `=` (S12).
    if (eq >= 0) inArgs = false;
    if (eq < 0) {
      out.diagnostics.push(
        diag(
          file,
          line,
          'bad-value',
          `line does not contain a key=value pair: "${s.slice(0, 60)}"`,
          'write `key=value`, or start the line with # to make it a comment',
          'warning',
        ),
      );
      continue;
    }
    const key = s.slice(0, eq).trim();
    const value = s.slice(eq + 1).trim();
    if (key === 'task') {
      current = startTask(out, value, line, seen, pending);
      inTasks = true;
      pending = [];
      continue;
    }
    if (inTasks && !current) continue; // fields of a task whose id was rejected
    if (!current) {
      if (out.globals.length === 0 && out.header.length === 0) out.header = pending;
      pending = [];
      readGlobal(out, key, value, line);
      continue;
    }
    pending = [];
    if (INLINE_COMMENT.test(value)) {
      out.diagnostics.push(
        diag(
          file,
          line,
          'inline-comment',
          `field '${key}' of task ${current.id} contains an inline comment: '${value.slice(0, 60)}'`,
          'put the comment on its own line starting with #',
        ),
      );
    }
    if (current.fields.has(key)) {
      out.diagnostics.push(
        diag(
          file,
          line,
          'duplicate-key',
          `task ${current.id} sets '${key}' twice; TASKER keeps the last value`,
          `remove one of the '${key}=' lines`,
          'warning',
        ),
      );
    }
    current.fields.set(key, { value, line });
  }
  if (out.tasks.length === 0 && out.header.length === 0) out.header = pending;
  return out;
}

function startTask(
  out: TaskFile,
  value: string,
  line: number,
  seen: Map<number, number>,
  comments: string[],
): LegacyTask | undefined {
  const id = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(id)) {
    const why = /^-?\d+$/.test(value) ? 'must be between 0 and 9999' : 'is not a valid integer';
    out.diagnostics.push(
      diag(
        out.file,
        line,
        'bad-id',
        `task ID '${value.slice(0, 20)}' ${why}`,
        'write `task=N` with N a whole number from 0 to 9999',
      ),
    );
    return undefined;
  }
  const first = seen.get(id);
  if (first !== undefined) {
    out.diagnostics.push(
      diag(
        out.file,
        line,
        'duplicate-id',
        `duplicate task ID ${id} (first defined on line ${first})`,
        'each task ID must be unique: renumber one of them',
      ),
    );
    return undefined;
  }
  seen.set(id, line);
  const task: LegacyTask = { id, line, fields: new Map(), comments };
  out.tasks.push(task);
  return task;
}

function readGlobal(out: TaskFile, key: string, value: string, line: number): void {
  if (FIELD_NAMES.has(key) && key !== 'hostnames') {
    out.diagnostics.push(
      diag(
        out.file,
        line,
        'unknown-key',
        `key '${key}' found outside of a task definition; it is ignored`,
        'move it below a `task=N` line, or rename it to define a global variable',
        'warning',
      ),
    );
    return;
  }
  if (!GLOBAL_NAME.test(key) || key.length > 64) {
    out.diagnostics.push(
      diag(
        out.file,
        line,
        'bad-value',
        `'${key.slice(0, 40)}' is not a valid global variable name`,
        'use letters, digits and _ (not first), at most 64 characters',
      ),
    );
    return;
  }
  const g: LegacyGlobal = { name: key, value, line };
  out.globals.push(g);
}
