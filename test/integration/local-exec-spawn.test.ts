import { describe, expect, it } from 'vitest';
import { runLocal as run } from '../helpers/exec.js';

// Behaviours of the node:child_process spawn path that local-exec.test.ts does not cover.

describe('local executor: spawn path', () => {
  it('lets a request env value replace a parent variable', async () => {
    const r = await run({ kind: 'shell', script: 'echo "$HOME"' }, { env: { HOME: '/nowhere' } });
    expect(r.stdout).toBe('/nowhere\n');
  });

  it('passes the parent environment when the request adds nothing', async () => {
    const r = await run({ kind: 'shell', script: 'echo "$PATH"' });
    expect(r.stdout).toBe(`${process.env.PATH}\n`);
  });

  it('settles normally when the command exits without reading a large stdin (EPIPE)', async () => {
    const r = await run({ kind: 'argv', argv: ['true'] }, { stdin: 'x'.repeat(4 * 1024 * 1024) });
    expect(r).toMatchObject({ exitCode: 0, signal: null });
  });
});
