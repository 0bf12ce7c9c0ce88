import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, repoRoot, tempDir, type CliResult } from '../helpers/cli.js';

// The `bin` is the esbuild bundle (npm run build makes it); the other CLI tests use the tsc output.
const bundled = join(repoRoot, 'dist/bundle/tasker.js');
const unbundled = join(repoRoot, 'dist/src/cli/main.js');

function cli(entry: string, args: readonly string[], home: string): Promise<CliResult> {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', TASKER_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

const stepEnds = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((l) => l.includes(' step-end '))
    .map((l) => `${/ id=(\S+)/.exec(l)?.[1]}:${/ status=(\S+)/.exec(l)?.[1]}`);

describe('bundled CLI (package.json bin)', () => {
  it('is what package.json bin points at', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      version: string;
    };
    expect(join(repoRoot, pkg.bin.tasker!)).toBe(bundled);
  });

  it('prints the package version (finds package.json from its own directory)', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(bundled, ['--version'], tempDir());
    expect([r.code, r.stdout.trim()]).toEqual([0, pkg.version]);
  });

  it('reports an invalid workflow exactly as the unbundled CLI does', async () => {
    const file = join('fixtures/workflows/invalid', 'bad-duration.yaml');
    const [a, b] = await Promise.all([
      cli(bundled, ['validate', '--format', 'json', file], tempDir()),
      cli(unbundled, ['validate', '--format', 'json', file], tempDir()),
    ]);
    expect(a.code).toBe(2);
    expect([a.code, a.stdout, a.stderr]).toEqual([b.code, b.stdout, b.stderr]);
  });

  it('runs tasks/hello.yaml and records it in the history (native sqlite loads)', async () => {
    const home = tempDir('tasker-bundle-home-');
    const run = await cli(bundled, ['run', '--output', 'plain', 'tasks/hello.yaml'], home);
    expect(run.code).toBe(0);
    expect(stepEnds(run.stdout)).toEqual(['hello:ok', 'kernel:ok', 'report:ok']);
    const history = await cli(bundled, ['history', '--json'], home);
    expect(history.code).toBe(0);
    expect((JSON.parse(history.stdout) as unknown[]).length).toBe(1);
  });

  it('loads the SSH chunk for a workflow with an ssh host (unreachable: exit 3)', async () => {
    const dir = tempDir();
    const file = join(dir, 'ssh.yaml');
    // Port 1 on loopback refuses at once: no network, no wait.
    writeFileSync(
      file,
      'version: 1\nname: ssh\nhosts:\n  nowhere: { address: 127.0.0.1, port: 1 }\nsteps:\n  - id: s\n    host: nowhere\n    run: "true"\n',
    );
    const r = await cli(bundled, ['run', '--output', 'plain', '--no-history', file], tempDir());
    expect(r.code).toBe(3);
    expect(stepEnds(r.stdout)).toEqual(['s:unreachable']);
  });
});
