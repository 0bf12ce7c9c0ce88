import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** Lints `code` as if it were `file`, with only the layering rules of eslint.config.js. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const url = pathToFileURL(join(root, 'eslint.config.js')).href;
  const config = ((await import(url)) as { default: Linter.Config[] }).default;
  const layers = config.filter((c) => c.rules?.['no-restricted-imports'] !== undefined);
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...layers],
  });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages.map((m) => m.message);
}

describe('layering lint', () => {
  it('lets run/ import exec/types and no other file of exec/ (every other one is a concrete executor)', async () => {
    const imports = [
      'index',
      'set',
      'local',
      'local-spawn',
      'dry',
      'process-group',
      'ssh/index',
      'ssh/executor',
    ];
    for (const name of imports) {
      const errors = await boundaryErrors('src/run/probe.ts', `import '../exec/${name}.js';\n`);
      expect(errors, name).toHaveLength(1);
    }
    expect(
      await boundaryErrors('src/run/probe.ts', `import type { Executor } from '../exec/types.js';\n`),
    ).toEqual([]);
  });

  it('keeps model/ free of every other folder, and report/ off plan/', async () => {
    expect(await boundaryErrors('src/model/probe.ts', `import '../plan/index.js';\n`)).toHaveLength(1);
    expect(await boundaryErrors('src/report/probe.ts', `import '../plan/index.js';\n`)).toHaveLength(1);
    expect(await boundaryErrors('src/report/probe.ts', `import '../model/plan-walk.js';\n`)).toEqual([]);
  });
});
