import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';

describe('a run whose unreachable hosts the workflow tolerated (issue 10: `✔ run ok  exit code 3`)', () => {
  it('ends `run unreachable`, exit 3, and the history says unreachable 3, never ok 3', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const file = join(tempDir(), 'wf.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'name: tolerant',
        'hosts:',
        `  web1: { address: 127.0.0.1, port: ${p1}, user: nobody }`,
        `  web2: { address: 127.0.0.1, port: ${p2}, user: nobody }`,
        'steps:',
        '  - id: ping',
        '    hosts: [web1, web2]',
        '    max_failed: 2',
        '    run: uptime',
        '  - id: after',
        '    run: echo after',
        '',
      ].join('\n'),
    );
    const home = tempDir('tasker-home-');
    const r = await runCli(['run', '--output', 'pretty', file], { TASKER_HOME: home });
    expect(r.code).toBe(3);
    const last = r.stdout.split('\n').find((l) => /^[✔✖] run /.test(l));
    expect(last).toMatch(/^✖ run unreachable: web1, web2 {2}exit code 3 /);
    expect(r.stdout).not.toMatch(/run ok/);
    const plain = await runCli(['run', '--output', 'plain', file], { TASKER_HOME: home });
    expect(plain.stdout).toMatch(/run-end status=unreachable exit=3 .*unreachable=web1,web2/);
    const history = await runCli(['history', '--json'], { TASKER_HOME: home });
    const runs = JSON.parse(history.stdout) as { status: string; exitCode: number }[];
    expect(runs.map((x) => [x.status, x.exitCode])).toEqual([
      ['unreachable', 3],
      ['unreachable', 3],
    ]);
    expect((await runCli(['history'], { TASKER_HOME: home })).stdout).toMatch(/\bunreachable\s+3\b/);
    // Its output: none, and `logs` says why instead of printing nothing at all.
    const logs = await runCli(['logs', 'last', 'ping@web1'], { TASKER_HOME: home });
    expect(logs).toMatchObject({ code: 0, stdout: '' });
    expect(logs.stderr).toMatch(
      /^tasker: ping@web1 was unreachable, so nothing ran there: connection refused/,
    );
  });
});
