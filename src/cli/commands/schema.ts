import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { Io } from '../io.js';

/** `tasker schema`: the JSON Schema of the workflow format, for editors (yaml-language-server). */
export async function schemaCommand(io: Io): Promise<number> {
  io.out(await readFile(join(packageRoot(), 'schema', 'workflow.schema.json'), 'utf8'));
  return 0;
}
