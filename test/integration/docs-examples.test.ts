import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { spawn } from 'node:child_process';
import { cliPath, collect, repoRoot, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';
import { readReport, sharedDir } from './fanout-helpers.js';

// The examples' secrets must come from nowhere but the test (an exported one would change what runs).
for (const name of ['DB_PASSWORD', 'API_TOKEN']) delete process.env[name];

/*
 * Every ```yaml block in README.md and docs/*.md is checked. The info string says what it is:
 *   yaml            a whole workflow: `tasker validate` and `tasker run --dry-run` must pass, and it
 *                   is run for real below (or listed with the reason it cannot run here)
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
const workflows = all.filter((b) => b.kind === 'workflow');

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
      // As CI runs it: no secrets set (the examples' secrets are not in this environment), no
      // network. Unset secrets are warnings; nothing runs.
      const dry = await runCli(['run', '--dry-run', '--output', 'plain', file]);
      expect(dry.code, dry.stderr).toBe(0);
      for (const line of dry.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^tasker: warning: /);
      for (const line of dry.stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^\S+ dry-run /);
    },
  );

  it('install tasker in CI the way the README says: the tarball `npm pack` writes, never `npx tasker`', () => {
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const ci = all.find((b) => b.kind === 'ci' && b.where.startsWith('README.md'));
    expect(ci?.text).toContain(`npm install -g ./tools/tasker-${version}.tgz`);
    expect(readme).toMatch(
      new RegExp(`npm pack +# in a clone: writes tasker-${version.replace(/\./g, '\\.')}\\.tgz`),
    );
    // tasker is not on the registry: `npx tasker` would fetch someone else's package or fail.
    for (const file of ['README.md', ...readdirSync(join(repoRoot, 'docs')).map((f) => `docs/${f}`)])
      if (file.endsWith('.md'))
        expect(readFileSync(join(repoRoot, file), 'utf8'), file).not.toMatch(/npx tasker/);
  });
});

/*
 * Whole workflows run for real. The remote ones run on the loopback sshd: the only change to the
 * example is its `hosts:` addresses (and the key to log in with); `./deploy.sh` and `./rollback.sh`
 * are put in the login directory of the sshd's user, where the example expects them.
 */
const sshd = await startSshd({ hosts: 2 });
afterAll(async () => sshd?.stop());

/**
 * The CLI started in an empty directory, as cron starts it in $HOME: the examples' local commands
 * (`npm ci`, `rm -rf ./build`) must run beside the workflow, and if they ever ran in tasker's working
 * directory again they would land here, never in the repository.
 */
function runElsewhere(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: tempDir('tasker-cwd-'),
    env: { ...process.env, NO_COLOR: '1', TASKER_HOME: tempDir('tasker-home-'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

const byName = (name: string) => (b: Block) => new RegExp(`^name: ${name}$`, 'm').test(b.text);
const readmeDeploy = (b: Block) => b.where.startsWith('README.md') && byName('deploy-web')(b);
const referenceDeploy = (b: Block) =>
  b.where.startsWith('docs/workflow-format.md') && byName('deploy-web')(b);
const exitCodes = (b: Block) => /^exit_codes:/m.test(b.text);
const scaleOutSync = byName('sync');

describe('every whole workflow in the docs is run for real here', () => {
  it('each one has a real run below', () => {
    const runs = [readmeDeploy, referenceDeploy, exitCodes, scaleOutSync];
    for (const b of workflows)
      expect(runs.filter((r) => r(b)).length, `${b.where}: add a real run for it`).toBe(1);
  });

  it('docs/scale-out.md sync: pulls on this host, exit 0', async () => {
    const b = workflows.find(scaleOutSync)!;
    const dir = tempDir('tasker-doc-');
    writeFileSync(join(dir, 'sync.yaml'), b.text);
    const r = await runElsewhere(['run', '--output', 'plain', join(dir, 'sync.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/out id=pull stream=stdout \| pulling on \S+/);
  });

  it('docs/workflow-format.md exit_codes: the failing step’s failure_exit 10 is the exit code', async () => {
    const dir = tempDir('tasker-doc-');
    writeFileSync(join(dir, 'wf.yaml'), workflows.find(exitCodes)!.text);
    // No ./deploy.sh beside it: the step fails (127), and `failure_exit: 10` wins over `failed: step`.
    const r = await runElsewhere(['run', '--output', 'plain', join(dir, 'wf.yaml')]);
    expect(r.code, r.stdout + r.stderr).toBe(10);
    writeFileSync(join(dir, 'deploy.sh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect((await runElsewhere(['run', join(dir, 'wf.yaml')])).code).toBe(0);
  });

  describe.skipIf(!sshd)('on hosts (the loopback sshd)', () => {
    const home = (s: TestSshd): string =>
      readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`${s.user}:`))!
        .split(':')[5]!;
    const placed: string[] = [];
    afterAll(() => placed.splice(0).forEach((p) => rmSync(p, { force: true })));

    /** The example in `dir`, its hosts on the sshd; the remote scripts log to `shared` and fail where told. */
    function setUp(b: Block, shared: string): { dir: string; file: string } {
      const s = sshd!;
      const dir = tempDir('tasker-doc-');
      let n = 0;
      const text = b.text.replace(/^ {2}(web\d): \{ address: [^}]*\}$/gm, (_m, name: string) => {
        const address = s.addresses[n++]!;
        return `  ${name}: { address: ${address}, port: ${s.port}, user: ${s.user}, key: ${s.keyFile} }`;
      });
      expect(n, 'the example names two hosts web1 and web2').toBe(2);
      const file = join(dir, 'deploy.yaml');
      writeFileSync(file, text);
      // `npm ci && npm run build` beside the workflow: a package with no dependencies (nothing to download).
      writeFileSync(
        join(dir, 'package.json'),
        '{ "name": "app", "version": "1.0.0", "private": true, "scripts": { "build": "mkdir -p build && echo built" } }\n',
      );
      writeFileSync(
        join(dir, 'package-lock.json'),
        '{ "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": { "": { "name": "app", "version": "1.0.0" } } }\n',
      );
      const scripts: [string, string][] = [
        [
          'deploy.sh',
          `echo "deploying $1 on $TASKER_TEST_HOST"\necho "$TASKER_TEST_HOST $1" >> ${shared}/deploy.log\n[ ! -e ${shared}/fail-$TASKER_TEST_HOST ]\n`,
        ],
        ['rollback.sh', `echo "$TASKER_TEST_HOST \${1:-}" >> ${shared}/rollback.log\n`],
      ];
      for (const [name, body] of scripts) {
        const path = join(home(s), name);
        writeFileSync(path, `#!/bin/sh\n# written by tasker's docs-examples test\n${body}`);
        chmodSync(path, 0o755);
        placed.push(path);
      }
      return { dir, file };
    }

    const lines = (path: string) =>
      existsSync(path)
        ? readFileSync(path, 'utf8')
            .trim()
            .split('\n')
            .map((l) => l.trimEnd())
        : [];

    async function deploy(file: string, env: Record<string, string> = {}) {
      const json = join(tempDir(), 'report.json');
      const r = await runElsewhere(
        ['run', '--output', 'plain', '--known-hosts', sshd!.knownHostsFile, '--json', json, file],
        env,
      );
      return { ...r, report: readReport(json) };
    }

    it('README deploy-web: builds, deploys one host at a time, returns 0; rollback does not run', async () => {
      const shared = sharedDir();
      const { file } = setUp(workflows.find(readmeDeploy)!, shared);
      const r = await deploy(file);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      // Rolling (max_parallel: 1): web1 before web2, each once, with the release from vars.
      expect(lines(join(shared, 'deploy.log'))).toEqual(['host01 v1.4.2', 'host02 v1.4.2']);
      expect(lines(join(shared, 'rollback.log'))).toEqual([]);
      const rollback = r.report.steps.find((s) => s.id === 'rollback');
      expect(rollback).toMatchObject({ status: 'skipped' });
    }, 90_000);

    it('README deploy-web: a host that keeps failing is retried 3 times, then rollback runs on both and the run exits 1', async () => {
      const shared = sharedDir();
      mkdirSync(shared, { recursive: true });
      writeFileSync(join(shared, 'fail-host02'), '');
      const { file } = setUp(workflows.find(readmeDeploy)!, shared);
      const r = await deploy(file);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(lines(join(shared, 'deploy.log'))).toEqual([
        'host01 v1.4.2',
        'host02 v1.4.2',
        'host02 v1.4.2',
        'host02 v1.4.2',
      ]);
      expect(lines(join(shared, 'rollback.log')).sort()).toEqual(['host01', 'host02']);
      expect(r.stdout).toMatch(/run-end status=returned exit=1 /);
    }, 90_000);

    it('docs/workflow-format.md deploy-web: needs its secrets; with them, a failing health check rolls back and finally cleans up', async () => {
      const shared = sharedDir();
      const { dir, file } = setUp(workflows.find(referenceDeploy)!, shared);
      const unset = await runElsewhere(['run', file]);
      expect(unset.code).toBe(2);
      expect(unset.stderr).toContain('secrets DB_PASSWORD, API_TOKEN not set');
      expect(existsSync(join(dir, 'build'))).toBe(false);
      // https://staging.example.com/health does not answer here (no such host): `health` fails.
      const r = await deploy(file, { DB_PASSWORD: 'db-secret-1', API_TOKEN: 'api-secret-1' });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.report.steps.find((s) => s.id === 'health')).toMatchObject({ status: 'failed' });
      expect(lines(join(shared, 'deploy.log'))).toEqual([]);
      expect(lines(join(shared, 'rollback.log')).sort()).toEqual(['host01 v2.4.1', 'host02 v2.4.1']);
      // `npm run build` made ./build; `finally: rm -rf ./build` ran in the workflow's directory.
      expect(r.stdout).toMatch(/out id=build stream=stdout \| built/);
      expect(existsSync(join(dir, 'build'))).toBe(false);
    }, 90_000);
  });
});
