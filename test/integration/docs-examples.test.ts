import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

/*
 * Every ```yaml block in README.md and docs/*.md is checked. The info string says what it is:
 *   yaml            a whole workflow: `tasker validate` and `tasker run --dry-run` must pass
 *   yaml invalid    a workflow shown as a mistake: `tasker validate` must reject it
 *   yaml fragment   a piece of a workflow (some keys or steps), or one that needs its inventory file: it must be YAML
 *   yaml inventory  an inventory file; yaml ci: a CI configuration: they must be YAML
 */
interface Block {
  where: string;
  kind: string;
  text: string;
}

function blocks(): Block[] {
  const files = [
    'README.md',
    ...readdirSync(join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const out: Block[] = [];
  for (const file of files) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const m of text.matchAll(/^```yaml([^\n]*)\n([\s\S]*?)^```/gm)) {
      const line = text.slice(0, m.index).split('\n').length;
      out.push({ where: `${file}:${line}`, kind: (m[1] ?? '').trim() || 'workflow', text: m[2] ?? '' });
    }
  }
  return out;
}

const all = blocks();
const KINDS = new Set(['workflow', 'invalid', 'fragment', 'inventory', 'ci']);

describe('the YAML examples in README.md and docs/', () => {
  it('are all found and each says what it is', () => {
    expect(all.length).toBeGreaterThan(20);
    for (const b of all)
      expect(KINDS.has(b.kind), `${b.where}: unknown info string "yaml ${b.kind}"`).toBe(true);
    // A block that looks like a whole workflow is checked as one (unless it needs an inventory file).
    for (const b of all.filter((x) => /^version:/m.test(x.text) && !/^inventory:/m.test(x.text)))
      expect(['workflow', 'invalid'], `${b.where} is a workflow`).toContain(b.kind);
  });

  it.each(all.filter((b) => b.kind !== 'workflow' && b.kind !== 'invalid').map((b) => [b.where, b]))(
    '%s is YAML',
    (_where, b) => {
      // A fragment may list alternative forms of one key (`retry: 3`, then `retry: {…}`).
      expect(() => void parseYaml(b.text, { uniqueKeys: false })).not.toThrow();
    },
  );

  it.each(all.filter((b) => b.kind === 'workflow' || b.kind === 'invalid').map((b) => [b.where, b]))(
    '%s validates (or is rejected, when marked invalid) and dry-runs',
    async (_where, b) => {
      const file = join(tempDir('tasker-doc-'), 'example.yaml');
      writeFileSync(file, b.text);
      const validated = await runCli(['validate', file]);
      if (b.kind === 'invalid') {
        expect(validated.code, validated.stderr).toBe(2);
        return;
      }
      expect(validated.code, validated.stderr).toBe(0);
      const dry = await runCli(['run', '--dry-run', '--output', 'plain', file]);
      expect(dry.code, dry.stderr).toBe(0);
    },
  );
});
