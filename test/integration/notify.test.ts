import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, isAlive, runCli, startCli } from '../helpers/cli.js';
import { show, workspace } from './store-helpers.js';

interface Hook {
  url: string;
  bodies: string[];
  server: Server;
}

let hooks: Hook[] = [];
afterEach(async () => {
  await Promise.all(hooks.map((h) => new Promise((r) => h.server.close(r))));
  hooks = [];
});

/** A webhook receiver on 127.0.0.1 that answers `status` and keeps the bodies. */
async function webhook(status = 200): Promise<Hook> {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const hook = { url: `http://127.0.0.1:${port}/hook`, bodies, server };
  hooks.push(hook);
  return hook;
}

const wf = (notify: string, step = 'exit 5') => `version: 1
name: alerting
notify:
${notify}
steps:
  - id: work
    run: ${step}
`;

describe('notify', () => {
  it('on failure runs the command with TASKER_* in its env and POSTs the JSON report', async () => {
    const hook = await webhook();
    const w = workspace(
      wf(
        `  on: failure\n  command: env | grep ^TASKER_ | sort > "$OUT"\n  webhook: ${hook.url}\n  timeout: 10s`,
      ),
    );
    const out = join(w.dir, 'env.txt');
    const r = await runCli(['run', w.file], { ...w.env, OUT: out });
    expect(r.code).toBe(1);
    const env = Object.fromEntries(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const shown = await show(w.home);
    expect(env).toMatchObject({
      TASKER_RUN_ID: shown.run.id,
      TASKER_WORKFLOW: 'alerting',
      TASKER_STATUS: 'failed',
      TASKER_EXIT_CODE: '1',
      TASKER_FAILED_STEP: 'work',
      TASKER_FAILED_STEP_NAME: 'work',
      TASKER_REPORT: join(shown.run.runDir, 'report.json'),
    });
    expect(hook.bodies).toHaveLength(1);
    expect(JSON.parse(hook.bodies[0]!)).toMatchObject({ runId: shown.run.id, status: 'failed', exitCode: 1 });
    expect(shown.run.alert).toBe('command: ok (exit 0); webhook: ok (HTTP 200)');
  });

  it('stays quiet on success unless asked; on: success notifies then', async () => {
    const hook = await webhook();
    const quiet = workspace(wf(`  on: failure\n  webhook: ${hook.url}`, '"true"'));
    expect((await runCli(['run', quiet.file], quiet.env)).code).toBe(0);
    expect(hook.bodies).toHaveLength(0);
    const loud = workspace(wf(`  on: [success]\n  webhook: ${hook.url}`, '"true"'));
    expect((await runCli(['run', loud.file], loud.env)).code).toBe(0);
    expect(hook.bodies).toHaveLength(1);
  });

  it('a failing or hanging alert is reported and recorded but never changes the exit code', async () => {
    const hook = await webhook(500);
    // 3s, not less: the webhook's HTTP 500 on loopback must beat the timeout on a loaded machine.
    const w = workspace(
      wf(`  on: always\n  command: sleep 30\n  webhook: ${hook.url}\n  timeout: 3s`, 'exit 4'),
    );
    const r = await runCli(['run', w.file], w.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('notify command failed: timed out after 3s');
    expect(r.stderr).toContain('notify webhook failed: HTTP 500');
    expect((await show(w.home)).run.alert).toBe(
      'command: failed (timed out after 3s); webhook: failed (HTTP 500)',
    );
    const ok = workspace(wf(`  on: always\n  command: exit 9`, '"true"'));
    const r2 = await runCli(['run', ok.file], ok.env);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain('notify command failed: exit 9');
  });

  it('an alert command that cannot start is reported once; the run keeps its exit code', async () => {
    const w = workspace(wf(`  on: always\n  command: [/nonexistent/alert-command]`, '"true"'));
    const r = await runCli(['run', w.file], w.env);
    expect(r.stderr).not.toContain('ERR_STREAM_WRITE_AFTER_END');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('notify command failed: could not start /nonexistent/alert-command');
  });

  it('a timed-out alert command loses its whole process group, as a step does; its log is masked', async () => {
    const secret = 'alert-secret-split-across-writes';
    const w = workspace(`version: 1
name: alerting
secrets: [TOKEN]
notify:
  on: always
  command: printf 'a%s' "\${TOKEN%-writes}"; sleep 0.2; printf -- '-writes\\n'; sleep 120 & echo $! > "$PIDF"; wait
  timeout: 1s
steps:
  - id: work
    run: exit 4
`);
    const pidFile = join(w.dir, 'child.pid');
    const r = await runCli(['run', w.file], { ...w.env, PIDF: pidFile, TOKEN: secret });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('notify command failed: timed out after 1s');
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(child)).toBe(false);
    const [runDir] = readdirSync(join(w.home, 'runs'));
    const log = readFileSync(join(w.home, 'runs', runDir!, 'notify.log'), 'utf8');
    expect(log).toBe('a***\n');
  });

  it('an alert command that timed out ends even when a process in another session holds its output', async () => {
    const w = workspace(
      wf(
        `  on: always\n  command: setsid sh -c 'echo $$ > "$PIDF"; exec sleep 120' & sleep 120\n  timeout: 500ms`,
        'exit 4',
      ),
    );
    const pidFile = join(w.dir, 'escaped.pid');
    try {
      const r = await collect(startCli(['run', w.file], { ...w.env, PIDF: pidFile }), 30_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('notify command failed: timed out after 0.5s');
    } finally {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      if (pid > 0) process.kill(pid, 'SIGKILL');
    }
  });
});

describe('secrets stay secret', () => {
  it('appear in no file under the state home (history db included), no output and no alert payload', async () => {
    const secret = 'hunter2-very-secret-value';
    const hook = await webhook();
    const w = workspace(`version: 1
name: secretive
secrets: [TOKEN]
notify:
  on: failure
  command: echo "alert with $TOKEN"; echo "$TOKEN" >&2
  webhook: ${hook.url}
steps:
  - id: use
    run: echo "token is \${{ env.TOKEN }}"; echo "$TOKEN" >&2
  - id: fail
    run: echo "bad $TOKEN" >&2; exit 3
`);
    const r = await runCli(['run', '--output', 'plain', w.file], { ...w.env, TOKEN: secret });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout).toContain('token is ***');
    for (const args of [
      ['history', '--json'],
      ['show', 'last'],
      ['logs', 'last'],
      ['logs', 'last', 'use'],
    ]) {
      const out = await runCli(args, w.env);
      expect(out.stdout + out.stderr).not.toContain(secret);
    }
    expect(hook.bodies.join('')).not.toContain(secret);
    expect(hook.bodies.join('')).toContain('***');
    const files = allFiles(w.home);
    expect(files.some((f) => f.endsWith('history.db'))).toBe(true);
    expect(files.some((f) => f.endsWith('notify.log'))).toBe(true);
    const leaking = files.filter((f) => readFileSync(f).includes(secret));
    expect(leaking).toEqual([]);
  });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}
