import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutputPage, RunList } from '../../src/serve/api-types.js';
import { runCli } from '../helpers/cli.js';
import { canMount, mountTmpfs } from '../helpers/mounts.js';
import { apiGet, startServe } from '../helpers/serve.js';
import { workspace } from './store-helpers.js';

const runDirOf = (home: string): string => {
  const runs = readdirSync(join(home, 'runs'));
  return join(home, 'runs', runs.sort().at(-1)!);
};
const outputs = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.stdout') || f.endsWith('.stderr'))
    .sort();

// A stream that stays empty leaves no file; every reader of outputs treats a missing file as ''.
describe("output files are created on a stream's first byte", () => {
  it('leaves no file for empty streams; show, logs, report.json and the serve API read them as empty', async () => {
    const w = workspace(
      [
        'version: 1',
        'name: lazy',
        'steps:',
        '  - id: quiet',
        '    run: "true"',
        '  - id: loud',
        '    run: echo hi',
        '  - id: uses',
        '    run: test -z "${{ steps.quiet.stdout }}" && echo "bytes=${{ steps.quiet.stdout_bytes }}"',
        '  - id: boom',
        '    run: echo err-line >&2; exit 3',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', w.file], w.env);
    expect(r.code, r.stderr).toBe(1);
    const dir = runDirOf(w.home);
    expect(outputs(dir)).toEqual(['boom.stderr', 'loud.stdout', 'uses.stdout']);
    expect(readFileSync(join(dir, 'uses.stdout'), 'utf8')).toBe('bytes=0\n');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      steps: { id: string; stdoutFile?: string }[];
    };
    expect(report.steps.find((s) => s.id === 'quiet')?.stdoutFile).toBe(join(dir, 'quiet.stdout'));
    const quiet = await runCli(['logs', 'last', 'quiet'], w.env);
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    const loud = await runCli(['logs', 'last', 'loud'], w.env);
    expect([loud.code, loud.stdout]).toEqual([0, 'hi\n']);
    const shown = await runCli(['show', 'last'], w.env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/boom \(failed\): last 1 lines of stderr ---\nerr-line/);
    const served = await startServe(w.home);
    try {
      const runs = await apiGet<RunList>(served, '/api/runs');
      const id = runs.runs[0]!.id;
      const page = await apiGet<OutputPage>(served, `/api/runs/${id}/steps/1/output`);
      expect(page).toMatchObject({ text: '', size: 0 });
    } finally {
      await served.stop();
    }
  });

  it('a workflow that reads stdout_file gets a file even for an empty stream', async () => {
    const w = workspace(
      [
        'version: 1',
        'name: reads-files',
        'steps:',
        '  - id: quiet',
        '    run: "true"',
        '  - id: reader',
        '    run: cat "${{ steps.quiet.stdout_file }}" "${{ steps.quiet.stderr_file }}" && echo read',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', w.file], w.env);
    expect(r.code, r.stderr).toBe(0);
    const dir = runDirOf(w.home);
    expect(existsSync(join(dir, 'quiet.stdout'))).toBe(true);
    expect(readFileSync(join(dir, 'reader.stdout'), 'utf8')).toBe('read\n');
  });

  it('resume reuses a step whose streams stayed empty and sees its output as empty', async () => {
    const w = workspace(
      [
        'version: 1',
        'name: resumed',
        'steps:',
        '  - id: quiet',
        '    run: "true"',
        '  - id: gate',
        '    run: test -e "$GATE" && echo "quiet=[${{ steps.quiet.stdout }}] ${{ steps.quiet.stdout_bytes }}"',
        '',
      ].join('\n'),
    );
    const gate = join(w.dir, 'gate');
    const first = await runCli(['run', w.file], { ...w.env, GATE: gate });
    expect(first.code).toBe(1);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(gate, '');
    const second = await runCli(['run', '--resume', w.file], { ...w.env, GATE: gate });
    expect(second.code, second.stderr).toBe(0);
    const runs = readdirSync(join(w.home, 'runs')).map((r) => join(w.home, 'runs', r));
    const written = runs.filter((d) => existsSync(join(d, 'gate.stdout')));
    expect(written).toHaveLength(1);
    expect(readFileSync(join(written[0]!, 'gate.stdout'), 'utf8')).toBe('quiet=[] 0\n');
  });

  it.skipIf(!canMount())(
    'a disk that fills mid-run: the step that prints fails naming its file, the run reports it',
    async () => {
      const fs = mountTmpfs(2048);
      try {
        const w = workspace(
          [
            'version: 1',
            'name: fills',
            'steps:',
            '  - id: fill',
            `    run: dd if=/dev/zero of=${fs.dir}/filler bs=64k 2>/dev/null; true`,
            '  - id: talk',
            '    run: echo hello',
            '  - id: after',
            '    run: "true"',
            '',
          ].join('\n'),
        );
        const r = await runCli(['run', '--output', 'plain', '--json', join(w.dir, 'r.json'), w.file], {
          TASKER_HOME: join(fs.dir, 'home'),
        });
        expect(r.code, r.stderr).toBe(1);
        expect(r.stdout + r.stderr).toMatch(
          /cannot write output file .*talk\.stdout: .*ENOSPC.*free disk space/,
        );
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        const report = JSON.parse(readFileSync(join(w.dir, 'r.json'), 'utf8')) as {
          failedStep?: string;
          steps: { id: string; status: string; error?: { code: string } }[];
        };
        expect(report.failedStep).toBe('talk');
        expect(report.steps.map((s) => [s.id, s.status])).toEqual([
          ['fill', 'ok'],
          ['talk', 'failed'],
          ['after', 'skipped'],
        ]);
        expect(report.steps[1]?.error?.code).toBe('output');
      } finally {
        fs.unmount();
      }
    },
  );
});
