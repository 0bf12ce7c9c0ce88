import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('relative paths in a workflow, with tasker started elsewhere (as cron does)', () => {
  it('resolve against the workflow file: scripts, cwd, inventory and notify commands (copy: test/unit/run/paths.test.ts)', async () => {
    const dir = tempDir('tasker-flows-');
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'scripts', 'hello.sh'), '#!/bin/sh\necho "hello from $(pwd)"\n');
    writeFileSync(join(dir, 'notify.sh'), '#!/bin/sh\ntouch notified\n');
    chmodSync(join(dir, 'scripts', 'hello.sh'), 0o755);
    chmodSync(join(dir, 'notify.sh'), 0o755);
    writeFileSync(join(dir, 'hosts.yaml'), 'hosts: {}\ngroups: {}\n');
    const file = join(dir, 'flow.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'name: flow',
        'inventory: hosts.yaml',
        'steps:',
        '  - id: hello',
        '    run: ./scripts/hello.sh',
        '  - id: inside',
        '    cwd: scripts',
        '    run: ./hello.sh',
        'notify:',
        '  on: always',
        '  command: ./notify.sh',
        '',
      ].join('\n'),
    );
    // The test helper starts tasker in the repository, not in `dir`.
    const r = await runCli(['run', '--output', 'plain', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`hello from ${dir}`);
    expect(r.stdout).toContain(`hello from ${join(dir, 'scripts')}`);
    expect(existsSync(join(dir, 'notified'))).toBe(true);
  });
});
