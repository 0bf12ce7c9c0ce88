import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.js';
import { startSshd } from '../helpers/sshd.js';
import { hostsBlock, writeWorkflow } from './fanout-helpers.js';

/**
 * A real `kill -9` of the built CLI while its steps run: nothing it started may survive, locally
 * (the watchdog) or on the remote host (the wrapper's watcher). Survivors are found by a marker in
 * their argv (`sleep 7NNNNNN`), read from `ps` as an operator would.
 */
const sshd = await startSshd();
afterAll(async () => sshd?.stop());

/** Live processes whose argv mentions `marker` (the step's shells and its sleeps). */
function withMarker(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !/^\s*\d+\s+Z/.test(l) && !l.includes('ps -eo'));
}

const sleeping = (marker: string): number =>
  withMarker(marker).filter((l) => /^\s*\d+\s+\S+\s+sleep /.test(l)).length;

/** Steps that start TERM-ignoring processes in the foreground and in the background. */
function stubborn(marker: string): string {
  return `trap '' TERM HUP INT; (trap '' TERM HUP INT; sleep ${marker}1) & echo started; sleep ${marker}2`;
}

async function killDuring(workflow: string, marker: string, args: string[] = []): Promise<void> {
  const file = writeWorkflow(workflow);
  const child = startCli(['run', file, '--output', 'plain', ...args]);
  const done = collect(child);
  try {
    await waitForOutput(child, (t) => t.includes('started'));
    await expect.poll(() => sleeping(marker), { timeout: 10_000 }).toBe(2);
  } finally {
    child.kill('SIGKILL');
  }
  expect((await done).signal).toBe('SIGKILL');
}

/**
 * Waits for every process with `marker` to be gone; on a timeout, prints what is left (pid, ppid,
 * pgid, state, args) and the watchdogs alive, so a failure says which process survived and why.
 */
async function expectGone(marker: string): Promise<void> {
  try {
    await expect.poll(() => withMarker(marker), { timeout: 20_000, interval: 200 }).toEqual([]);
  } catch (err) {
    const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' });
    const left = ps.split('\n').filter((l) => l.includes(marker) || l.includes('tasker-watchdog'));
    console.error(`kill -9 survivors of marker ${marker}:\n${left.join('\n')}`);
    // Leave nothing behind for the retry or the next file.
    for (const line of left.filter((l) => l.includes(marker))) {
      const pgid = Number(line.trim().split(/\s+/)[2]);
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    throw err;
  }
}

// A real kill -9 under a loaded CI machine failed once in ~10 full runs (survivors after 20 s; the
// cause is not yet known): one retry, and the survivors are printed when it happens.
describe('kill -9 of tasker leaves nothing running', { retry: 1 }, () => {
  it('locally: the watchdog TERMs, then KILLs, every running step group', async () => {
    const marker = `7${randomInt(100000, 999999)}`;
    const wf = `version: 1\nsteps:\n  - id: long\n    run: "${stubborn(marker)}"\n`;
    await killDuring(wf, marker);
    // The default grace is 2 s before KILL; 20 s only catches a hang.
    await expectGone(marker);
  });

  it('locally, after 30 short steps (their removals ride on later writes): the running group still dies', async () => {
    const marker = `7${randomInt(100000, 999999)}`;
    const quick = Array.from({ length: 30 }, (_, i) => `  - id: q${i}\n    run: "true"\n`).join('');
    const wf = `version: 1\nsteps:\n${quick}  - id: long\n    run: "${stubborn(marker)}"\n`;
    await killDuring(wf, marker);
    await expectGone(marker);
  });

  it('locally: parallel steps are all stopped', async () => {
    const marker = `7${randomInt(100000, 999999)}`;
    const wf =
      `version: 1\nsteps:\n  - parallel:\n` +
      [1, 2, 3].map((i) => `      - id: p${i}\n        run: sleep ${marker}${i}${i}\n`).join('') +
      `      - id: go\n        run: echo started; sleep ${marker}44\n`;
    const file = writeWorkflow(wf);
    const child = startCli(['run', file, '--output', 'plain']);
    const done = collect(child);
    try {
      await waitForOutput(child, (t) => t.includes('started'));
      await expect.poll(() => sleeping(marker), { timeout: 10_000 }).toBe(4);
    } finally {
      child.kill('SIGKILL');
    }
    await done;
    await expectGone(marker);
  });
});

describe('when the watchdog is killed too', () => {
  it('the next run refuses (exit 75) naming the survivors; show tells what became of them', async () => {
    const marker = `7${randomInt(100000, 999999)}`;
    const home = tempDir('tasker-home-');
    const flag = join(home, 'second-time');
    const file = writeWorkflow(
      `version: 1\nsteps:\n  - id: long\n    run: "echo started; [ -e ${flag} ] || sleep ${marker}"\n`,
    );
    const child = startCli(['run', file, '--output', 'plain'], { TASKER_HOME: home });
    const done = collect(child);
    try {
      await waitForOutput(child, (t) => t.includes('started'));
      await expect.poll(() => sleeping(marker), { timeout: 10_000 }).toBe(1);
      const [watchdog] = withMarker(`tasker-watchdog:${child.pid}`);
      process.kill(Number(watchdog!.trim().split(/\s+/)[0]), 'SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
    await done;
    const [survivor] = withMarker(`sleep ${marker}`);
    const pid = Number(survivor!.trim().split(/\s+/)[0]);
    const pgid = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    try {
      const again = await runCli(['run', file, '--output', 'plain'], { TASKER_HOME: home });
      expect(again.code, again.stderr).toBe(75);
      expect(again.stderr).toMatch(
        new RegExp(`its step processes still run: long \\(process group ${pgid}: pids? [0-9 ]*${pid}`),
      );
      const shown = await runCli(['show', 'last'], { TASKER_HOME: home });
      expect(shown.stdout).toContain(`long: process group ${pgid}: still running`);
      expect(shown.stdout).toContain('tasker died while this step ran');
      const runId = /^run:\s+(\S+)/m.exec(shown.stdout)![1]!;
      process.kill(-pgid, 'SIGKILL');
      await expect.poll(() => withMarker(`sleep ${marker}`), { timeout: 10_000 }).toEqual([]);
      const after = await runCli(['show', runId, '--json'], { TASKER_HOME: home });
      expect((JSON.parse(after.stdout) as { processes: unknown }).processes).toEqual([
        { label: 'long', pgid, state: 'gone' },
      ]);
      writeFileSync(flag, '');
      const ok = await runCli(['run', file, '--output', 'plain'], { TASKER_HOME: home });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toContain('took over the lock of a run that is gone');
    } finally {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
});

describe('the watchdog on a normal end', () => {
  it('exits with the run and leaves a step that ended on its own alone', async () => {
    const marker = `7${randomInt(100000, 999999)}`;
    const wf = `version: 1\nsteps:\n  - id: bg\n    run: "sleep ${marker} >/dev/null 2>&1 & echo started"\n`;
    const child = startCli(['run', writeWorkflow(wf), '--output', 'plain']);
    const r = await collect(child);
    expect(r.code, r.stderr).toBe(0);
    const watchdogs = () => withMarker(`tasker-watchdog:${child.pid}`);
    await expect.poll(watchdogs, { timeout: 10_000 }).toEqual([]);
    // A background process the step left behind on purpose is not the watchdog's business.
    expect(sleeping(marker)).toBe(1);
    const [line] = withMarker(`sleep ${marker}`);
    process.kill(Number(line!.trim().split(/\s+/)[0]), 'SIGKILL');
  });
});

describe.skipIf(!sshd)('kill -9 of tasker over SSH', () => {
  for (const pty of [false, true]) {
    it(`the remote command (pty: ${pty}) dies when the connection goes`, async () => {
      const marker = `7${randomInt(100000, 999999)}`;
      const wf =
        `version: 1\n${hostsBlock(sshd!, 1)}steps:\n  - id: long\n    host: h01\n    pty: ${pty}\n` +
        `    run: "${stubborn(marker)}"\n`;
      await killDuring(wf, marker, ['--known-hosts', sshd!.knownHostsFile]);
      // The watcher polls sshd once a second, then TERM, a 2 s grace, KILL.
      await expect.poll(() => withMarker(marker), { timeout: 20_000, interval: 200 }).toEqual([]);
    });
  }
});
