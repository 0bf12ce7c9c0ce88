import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/cli.js';

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 240_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

// The README's way to install tasker without the registry: `npm pack`, then install the tarball.
describe('the npm pack tarball', () => {
  it('installs, and its tasker bin validates and dry-runs a workflow', () => {
    const packDir = tempDir('tasker-pack-');
    // `npm test` built dist/ already; the tarball ships it (package.json `files`).
    const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], repoRoot);
    expect(pack.code, pack.out).toBe(0);
    const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const project = tempDir('tasker-install-');
    writeFileSync(join(project, 'package.json'), '{ "name": "uses-tasker", "private": true }\n');
    // Scripts off: the native SQLite build is not needed to validate or dry-run.
    const install = sh(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, tarball!)],
      project,
    );
    expect(install.code, install.out).toBe(0);
    const bin = join(project, 'node_modules', '.bin', 'tasker');
    expect(sh(bin, ['--version'], project).out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    writeFileSync(
      join(project, 'wf.yaml'),
      'version: 1\nname: t\nsteps:\n  - run: echo ${{ vars.x }}\nvars:\n  x: 1\n',
    );
    const validate = sh(bin, ['validate', 'wf.yaml'], project);
    expect(validate.code, validate.out).toBe(0);
    const dry = sh(bin, ['run', '--dry-run', 'wf.yaml'], project, { TASKER_HOME: join(project, 'state') });
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('would-run');
  }, 300_000);
});
