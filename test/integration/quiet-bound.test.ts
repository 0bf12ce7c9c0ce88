import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('run --quiet', () => {
  it('keeps a bounded tail of the transcript in characters, not only in lines', async () => {
    const file = join(tempDir(), 'loud.yaml');
    // 8 MB without a newline: 123 output events of 64 KiB, far under the 2,000-line bound.
    writeFileSync(
      file,
      "version: 1\nname: loud\nsteps:\n  - id: loud\n    run: head -c 8000000 /dev/zero | tr '\\0' x; exit 1\n",
    );
    const r = await runCli(['run', '--quiet', '--no-history', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ run-end status=failed /);
    expect(r.stdout.length).toBeLessThan(4.5 * 1024 * 1024);
    expect(r.stdout.length).toBeGreaterThan(3.5 * 1024 * 1024);
  });
});
