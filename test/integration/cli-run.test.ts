import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, isAlive, runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.js';

interface Report {
  status: string;
  exitCode: number;
  failedStep?: string;
  steps: {
    id: string;
    status: string;
    exitCode: number | null;
    display?: string;
    stdoutFile?: string;
    skipReason?: string;
  }[];
}
const readReport = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Report;
const step = (r: Report, id: string) => r.steps.find((s) => s.id === id);

describe('tasker run: outcomes and exit codes', () => {
  it('exits 1 when a step fails, skips the rest, still runs finally', async () => {
    const report = join(tempDir(), 'r.json');
    const r = await runCli(['run', 'fixtures/run/fail.yaml', '--json', report, '--output', 'plain']);
    expect(r.code).toBe(1);
    const json = readReport(report);
    expect(json.failedStep).toBe('boom');
    expect(step(json, 'boom')).toMatchObject({ status: 'failed', exitCode: 7 });
    expect(step(json, 'never')?.status).toBe('skipped');
    expect(step(json, 'cleanup')?.status).toBe('ok');
    expect(r.stdout).toContain('about to fail');
  });

  it('exits 4 on a timeout and reports timed-out', async () => {
    const report = join(tempDir(), 'r.json');
    const r = await runCli(['run', 'fixtures/run/timeout.yaml', '--json', report]);
    expect(r.code).toBe(4);
    expect(step(readReport(report), 'slow')?.status).toBe('timed-out');
  });

  it('exits with the code of return: N after a forward jump', async () => {
    const report = join(tempDir(), 'r.json');
    const r = await runCli(['run', 'fixtures/run/return.yaml', '--json', report]);
    expect(r.code).toBe(5);
    const json = readReport(report);
    expect(step(json, 'skipped')?.status).toBe('skipped');
    expect(step(json, 'handler')?.status).toBe('ok');
  });

  it('leaves events, a report, the workflow copy and output files in the run dir', async () => {
    const home = tempDir('tasker-home-');
    const r = await runCli(['run', 'fixtures/run/fail.yaml'], { TASKER_HOME: home });
    expect(r.code).toBe(1);
    const runs = readdirSync(join(home, 'runs'));
    expect(runs).toHaveLength(1);
    const dir = join(home, 'runs', runs[0]!);
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['events.ndjson', 'report.json', 'workflow.yaml']));
    expect(files.some((f) => f.startsWith('boom') && f.endsWith('.stderr'))).toBe(true);
    const events = readFileSync(join(dir, 'events.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string });
    expect(events[0]!.kind).toBe('run-start');
    expect(events.at(-1)!.kind).toBe('run-end');
  });

  it("keeps a bounded head of each step's output in the run dir's logs; the output file has it all", async () => {
    const home = tempDir('tasker-home-');
    const r = await runCli(['run', '--quiet', 'fixtures/run/big-output.yaml'], { TASKER_HOME: home });
    expect(r.code).toBe(0);
    const dir = join(home, 'runs', readdirSync(join(home, 'runs'))[0]!);
    expect(statSync(join(dir, 'loud.stdout')).size).toBe(3_000_000);
    expect(statSync(join(dir, 'events.ndjson')).size).toBeLessThan(2_500_000);
    expect(statSync(join(dir, 'run.log')).size).toBeLessThan(2_500_000);
    expect(readFileSync(join(dir, 'run.log'), 'utf8')).toContain(
      'more output of this step is only in its .stdout file',
    );
  });

  it('writes JUnit XML and an NDJSON event stream on request', async () => {
    const dir = tempDir();
    const r = await runCli([
      'run',
      'fixtures/run/fail.yaml',
      '--junit',
      join(dir, 'j.xml'),
      '--events',
      join(dir, 'e.ndjson'),
    ]);
    expect(r.code).toBe(1);
    const xml = readFileSync(join(dir, 'j.xml'), 'utf8');
    expect(xml).toContain('<testsuites');
    expect(xml).toMatch(/<failure/);
    expect(readFileSync(join(dir, 'e.ndjson'), 'utf8').trim().split('\n').length).toBeGreaterThan(3);
  });

  it('masks secrets in output, reports and run files', async () => {
    const home = tempDir('tasker-home-');
    const secret = 's3cr3t-value-xyz';
    const report = join(tempDir(), 'r.json');
    const r = await runCli(['run', 'fixtures/run/secrets.yaml', '--json', report, '--output', 'plain'], {
      TASKER_HOME: home,
      TASKER_TEST_TOKEN: secret,
    });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(readFileSync(report, 'utf8')).not.toContain(secret);
    const dir = join(home, 'runs', readdirSync(join(home, 'runs'))[0]!);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(secret);
    expect(r.stdout).toContain('***');
  });

  it('exits 2 when a declared secret is not set, and runs nothing', async () => {
    const r = await runCli(['run', 'fixtures/run/secrets.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain('TASKER_TEST_TOKEN');
  });

  it('reads secrets from --secret-file, masks them, and names file:line on a bad line', async () => {
    const dir = tempDir();
    const file = join(dir, 'secrets.env');
    writeFileSync(file, '# deploy secrets\nexport TASKER_TEST_TOKEN="from-file-s3cret"\n', { mode: 0o600 });
    const ok = await runCli(['run', '--output', 'plain', '--secret-file', file, 'fixtures/run/secrets.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('token is ***');
    expect(ok.stdout + ok.stderr).not.toContain('from-file-s3cret');
    writeFileSync(file, 'TASKER_TEST_TOKEN=x\nthis is not a pair\n', { mode: 0o600 });
    const bad = await runCli(['run', '--secret-file', file, 'fixtures/run/secrets.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}:2:1`);
  });

  it('exits 2 on an invalid workflow, printing diagnostics', async () => {
    const dir = 'fixtures/workflows/invalid';
    const file = join(
      dir,
      readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()[0]!,
    );
    const r = await runCli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:\d+:\d+/);
  });

  it('--dry-run executes nothing and shows placeholders for unknown outputs', async () => {
    const marker = join(tempDir(), 'made');
    const r = await runCli([
      'run',
      '--dry-run',
      '--output',
      'plain',
      '--var',
      `marker=${marker}`,
      'fixtures/run/dry.yaml',
    ]);
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(r.stdout).toContain('touch');
    expect(r.stdout).toContain('steps.make.stdout');
  });

  it('--quiet prints nothing when the run succeeds and the transcript when it fails', async () => {
    const ok = await runCli(['run', '--quiet', 'tasks/hello.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    const bad = await runCli(['run', '--quiet', 'fixtures/run/fail.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('boom');
  });
});

describe('tasker run: interrupts', () => {
  it('on SIGINT kills the whole process tree, runs finally, writes the report, exits 130', async () => {
    const dir = tempDir();
    const marker = join(dir, 'm');
    const report = join(dir, 'r.json');
    const child = startCli([
      'run',
      '--output',
      'plain',
      '--json',
      report,
      '--var',
      `marker=${marker}`,
      'fixtures/run/interrupt.yaml',
    ]);
    const done = collect(child);
    await waitForOutput(child, (t) => t.includes('| started'));
    const pids = [readFileSync(`${marker}.child`, 'utf8'), readFileSync(`${marker}.grandchild`, 'utf8')].map(
      (s) => Number(s.trim()),
    );
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(readFileSync(`${marker}.finally`, 'utf8')).toContain('finally-ran');
    const json = readReport(report);
    expect(json.status).toBe('interrupted');
    expect(step(json, 'long')?.status).toBe('cancelled');
    for (const pid of pids) await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
  });

  it('on SIGTERM exits 143', async () => {
    const dir = tempDir();
    const marker = join(dir, 'm');
    const child = startCli([
      'run',
      '--output',
      'plain',
      '--var',
      `marker=${marker}`,
      'fixtures/run/interrupt.yaml',
    ]);
    const done = collect(child);
    await waitForOutput(child, (t) => t.includes('| started'));
    child.kill('SIGTERM');
    expect((await done).code).toBe(143);
  });
});
