import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeExecutor } from './fake-executor.js';
import { argv, cleanRunDirs, cmd, copy, ex, plan, run, ssh, statusOf, tpl } from './plan-builders.js';

afterEach(cleanRunDirs);

describe('command', () => {
  it('a timeout aborts the attempt with a timeout reason: status timed-out, exit 4', async () => {
    const ran = await run(plan([cmd('slow', 'slow', { timeoutMs: 10 })]), { slow: { hang: true } });
    expect(ran.fake.calls[0]?.req.signal.reason).toEqual({ kind: 'timeout', afterMs: 10 });
    expect(ran.byId.get('slow')).toMatchObject({ status: 'timed-out', exitCode: null });
    expect(ran.result).toMatchObject({ status: 'timed-out', exitCode: 4, failedStep: 'slow' });
  });

  it('an unreachable host fails the run with exit 3 and lists the host', async () => {
    const ran = await run(plan([cmd('a', 'a', { target: ssh('db1') }), cmd('b', 'b')]), {
      a: { error: { code: 'auth', message: 'permission denied (publickey)' } },
    });
    expect(ran.byId.get('a@db1')).toMatchObject({
      status: 'unreachable',
      host: 'db1',
      error: { code: 'auth' },
    });
    expect(statusOf(ran, 'b')).toBe('skipped/not-reached');
    expect(ran.result).toMatchObject({ status: 'unreachable', exitCode: 3, unreachableHosts: ['db1'] });
  });

  it('a spawn error fails the step with the error', async () => {
    const ran = await run(plan([cmd('a', 'a')]), { a: { error: { code: 'spawn', message: 'ENOENT' } } });
    expect(ran.byId.get('a')).toMatchObject({ status: 'failed', error: { code: 'spawn' } });
    expect(ran.result.exitCode).toBe(1);
  });

  it('success overrides the exit code, with current = this attempt', async () => {
    const node = cmd('a', 'a', { spec: { success: ex('exit == 3 && stdout ~ "ready"') } });
    const ok = await run(plan([node]), { a: { exit: 3, stdout: ['ready\n'] } });
    expect(statusOf(ok, 'a')).toBe('ok');
    const bad = await run(plan([node]), { a: { exit: 0, stdout: ['ready\n'] } });
    expect(statusOf(bad, 'a')).toBe('failed');
  });

  it('failure: the step fails when it holds, whatever the exit', async () => {
    const node = cmd('a', 'a', { spec: { failure: ex('stderr ~ "ERROR"') } });
    const bad = await run(plan([node]), { a: { exit: 0, stderr: ['ERROR: disk\n'] } });
    expect(statusOf(bad, 'a')).toBe('failed');
    const ok = await run(plan([node]), { a: { exit: 1 } });
    expect(statusOf(ok, 'a')).toBe('ok');
  });

  it('a success expression that cannot be evaluated fails the step with a render error', async () => {
    const ran = await run(plan([cmd('a', 'a', { spec: { success: ex('steps.nope.exit == 0') } })]));
    expect(ran.byId.get('a')).toMatchObject({ status: 'failed', error: { code: 'render' } });
  });

  it('a template that cannot render fails the step without running it', async () => {
    const ran = await run(plan([cmd('a', 'echo ${{ vars.missing }}')]));
    expect(ran.byId.get('a')).toMatchObject({ status: 'failed', error: { code: 'render' } });
    expect(ran.fake.calls).toHaveLength(0);
    expect(ran.events.some((e) => e.kind === 'step-start')).toBe(false);
  });

  it('earlier output flows into later templates, shell-quoted in scripts and verbatim in argv', async () => {
    const steps = [
      cmd('a', 'a'),
      cmd('b', 'echo ${{ steps.a.stdout }}'),
      argv('c', ['printf', '${{ steps.a.stdout }}', '${{ steps.a.exit }}']),
    ];
    const ran = await run(plan(steps), { a: { stdout: ['it works; rm -rf /\n'] } });
    const [, b, c] = ran.fake.calls;
    expect(b?.req.command).toEqual({ kind: 'shell', script: "echo 'it works; rm -rf /'" });
    expect(c?.req.command).toEqual({ kind: 'argv', argv: ['printf', 'it works; rm -rf /', '0'] });
  });

  it('renders env, cwd and stdin as plain text and passes pty/sudo/killGrace through', async () => {
    const node = cmd('a', 'a', {
      spec: {
        env: { RELEASE: tpl('${{ vars.rel }}') },
        cwd: tpl('/srv/${{ vars.rel }}'),
        stdin: tpl('x'),
        pty: true,
        sudo: 'root',
      },
    });
    const ran = await run(plan([node], { vars: { rel: 'v1 2' } }), {}, { killGraceMs: 7 });
    expect(ran.fake.calls[0]?.req).toMatchObject({
      env: { RELEASE: 'v1 2' },
      cwd: '/srv/v1 2',
      stdin: 'x',
      pty: true,
      sudo: 'root',
      killGraceMs: 7,
    });
  });

  it('sends the sudo_password secret as sudoPassword, only to a sudo step, never in events', async () => {
    const steps = [
      cmd('a', 'a', { spec: { sudo: 'root', sudoPasswordSecret: 'SUDO_PW' } }),
      cmd('b', 'b', { spec: { sudoPasswordSecret: 'SUDO_PW' } }),
    ];
    const ran = await run(plan(steps, { secrets: ['SUDO_PW'] }), {}, { env: { SUDO_PW: 'pw-hunter2' } });
    expect(ran.fake.calls[0]?.req).toMatchObject({ sudo: 'root', sudoPassword: 'pw-hunter2' });
    expect(ran.fake.calls[1]?.req.sudoPassword).toBeUndefined();
    expect(JSON.stringify(ran.events)).not.toContain('pw-hunter2');
  });

  it('masks secrets in display, output events, captured output, files and error messages', async () => {
    const node = cmd('a', 'deploy --token ${{ env.API_TOKEN }}');
    const later = cmd('b', 'b ${{ steps.a.stdout }}');
    const env = { API_TOKEN: 'hunter2-secret' };
    const ran = await run(
      plan([node, later], { secrets: ['API_TOKEN'] }),
      {
        'deploy --token hunter2-secret': {
          stdout: ['token is hunter2-secret\n'],
          stderr: ['bad hunter2-secret\n'],
        },
      },
      { env },
    );
    // The executor gets the real value; nothing that leaves the runner does.
    expect(ran.fake.calls[0]?.req.command).toEqual({
      kind: 'shell',
      script: 'deploy --token hunter2-secret',
    });
    const text = JSON.stringify(ran.events);
    expect(text).not.toContain('hunter2-secret');
    expect(ran.byId.get('a')?.display).toBe('deploy --token ***');
    expect(ran.byId.get('a')?.stderrTail).toEqual(['bad ***']);
    expect(readFileSync(ran.byId.get('a')!.stdoutFile!, 'utf8')).toBe('token is ***\n');
    expect(ran.fake.calls[1]?.req.command).toEqual({ kind: 'shell', script: "b 'token is ***'" });
    const failing = await run(
      plan([node], { secrets: ['API_TOKEN'] }),
      {
        'deploy --token hunter2-secret': { error: { code: 'spawn', message: 'cannot run hunter2-secret' } },
      },
      { env },
    );
    expect(failing.byId.get('a')?.error?.message).not.toContain('hunter2-secret');
  });

  it('masks a secret in the displayed command however it was quoted for the shell or for argv', async () => {
    const secret = `pa$s'w"o\\rd\`x`;
    const steps = [
      cmd('bare', 'x ${{ env.PW }}'),
      cmd('dq', 'x "${{ env.PW }}"'),
      cmd('sq', "x '${{ env.PW }}'"),
      cmd('heredoc', "cat <<'EOF'\n${{ env.PW }}\nEOF"),
      argv('av', ['x', '${{ env.PW }}']),
    ];
    const ran = await run(plan(steps, { secrets: ['PW'] }), {}, { env: { PW: secret } });
    expect(ran.byId.get('bare')?.display).toBe("x '***'");
    expect(ran.byId.get('dq')?.display).toBe('x "***"');
    expect(ran.byId.get('sq')?.display).toBe("x '***'");
    expect(ran.byId.get('heredoc')?.display).toBe("cat <<'EOF'\n***\nEOF");
    expect(ran.byId.get('av')?.display).toBe("x '***'");
    expect(JSON.stringify(ran.events)).not.toContain('pa$s');
  });

  it('steps.<id> views expose exit, stdout, stderr, status, success and files', async () => {
    const steps = [
      cmd('a', 'a', { continueOnError: true }),
      cmd('b', 'b ${{ steps.a.exit }} ${{ steps.a.stderr }} ${{ steps.a.status }} ${{ steps.a.success }}'),
    ];
    const ran = await run(plan(steps), { a: { exit: 4, stderr: ['oops\n'] } });
    expect(ran.fake.calls[1]?.req.command).toEqual({ kind: 'shell', script: 'b 4 oops failed false' });
  });

  it('dry run replaces unknown outputs with visible placeholders', async () => {
    const ran = await run(plan([cmd('a', 'a'), cmd('b', 'use ${{ steps.a.stdout }}')]), {}, { dryRun: true });
    expect(ran.fake.calls[1]?.req.command).toEqual({ kind: 'shell', script: "use '<steps.a.stdout>'" });
  });

  it('emits step-start with the masked display, attempt and iteration', async () => {
    const ran = await run(plan([argv('a', ['echo', 'two words'])]));
    const start = ran.events.find((e) => e.kind === 'step-start');
    expect(start).toMatchObject({ id: 'a', attempt: 1, iteration: 1, display: "echo 'two words'" });
  });

  it('copy calls executor.copy with rendered paths', async () => {
    const ran = await run(plan([copy('c', './dist/${{ vars.v }}', '/srv/app')], { vars: { v: 'x' } }));
    // Relative to the workflow file (t.yaml, in the current directory here).
    expect(ran.fake.copies[0]).toMatchObject({ src: 'dist/x', dest: '/srv/app' });
    expect(ran.byId.get('c')).toMatchObject({
      kind: 'copy',
      status: 'ok',
      display: 'copy ./dist/x -> /srv/app',
    });
  });

  it('copy records whether anything changed, with a note saying so', async () => {
    const changed = await run(plan([copy('c', 'a', 'b')]));
    expect(changed.byId.get('c')).toMatchObject({ changed: true, note: 'copied 1 file, 1 bytes' });
    const fake = new FakeExecutor();
    fake.copyOutcome = { changed: false, files: 0, bytes: 0 };
    const same = await run(plan([copy('c', 'a', 'b')]), fake);
    expect(same.byId.get('c')).toMatchObject({ status: 'ok', changed: false });
    expect(same.byId.get('c')?.note).toContain('unchanged');
  });

  it('copy fails with error copy when the executor cannot copy', async () => {
    const fake = new FakeExecutor();
    fake.withCopy = false;
    const ran = await run(plan([copy('c', 'a', 'b')]), fake);
    expect(ran.byId.get('c')).toMatchObject({ status: 'failed', error: { code: 'copy' } });
  });
});
