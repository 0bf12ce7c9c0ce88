import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, tempDir } from '../helpers/cli.js';
import { startSshd } from '../helpers/sshd.js';
import {
  fleetGroup,
  hostName,
  hostsBlock,
  instances,
  runWithReport,
  sharedDir,
  writeWorkflow,
} from './fanout-helpers.js';
import { freePort } from '../helpers/ports.js';

const sshd = await startSshd({ hosts: 16 });
afterAll(async () => sshd?.stop());

/** Runs a workflow through the built CLI with the sshd's known_hosts and a JSON report. */
const run = (workflow: string, args: string[] = []) =>
  runWithReport(writeWorkflow(workflow), sshd!.knownHostsFile, args);

describe.skipIf(!sshd)('fan-out over a real sshd through the CLI', () => {
  it('runs one step on 16 hosts, one result per host, each on its own address', async () => {
    const wf = `version: 1\n${hostsBlock(sshd!)}${fleetGroup(16)}steps:\n  - id: hello\n    hosts: fleet\n    run: echo "$TASKER_TEST_HOST"\n`;
    const r = await run(wf);
    expect(r.code, r.stderr).toBe(0);
    const hosts = instances(r.report, 'hello');
    expect([...hosts.keys()].sort()).toEqual(Array.from({ length: 16 }, (_, i) => hostName(i)));
    for (const [name, step] of hosts) {
      expect(step.status).toBe('ok');
      // h01 is 127.0.0.2, where sshd sets TASKER_TEST_HOST=host01.
      expect(readFileSync(step.stdoutFile!, 'utf8').trim()).toBe(`host${name.slice(1)}`);
    }
    expect(r.stdout).toMatch(/step-end id=hello host=h16 status=ok/);
  });

  it('runs at most max_parallel hosts at once and still reaches every host', async () => {
    const dir = sharedDir();
    const script = `touch ${dir}/run.$TASKER_TEST_HOST; ls ${dir} | grep -c '^run\\.' >> ${dir}/counts; sleep 0.3; rm ${dir}/run.$TASKER_TEST_HOST`;
    const wf = `version: 1\n${hostsBlock(sshd!, 6)}${fleetGroup(6)}steps:\n  - id: roll\n    hosts: fleet\n    max_parallel: 2\n    run: ${JSON.stringify(script)}\n`;
    const r = await run(wf);
    expect(r.code, r.stderr).toBe(0);
    const counts = readFileSync(join(dir, 'counts'), 'utf8').trim().split('\n').map(Number);
    expect(counts).toHaveLength(6);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    expect([...instances(r.report, 'roll').values()].every((s) => s.status === 'ok')).toBe(true);
  });

  it('stops starting hosts once failures exceed max_failed', async () => {
    const wf = `version: 1\n${hostsBlock(sshd!, 8)}${fleetGroup(8)}steps:\n  - id: bad\n    hosts: fleet\n    max_parallel: 1\n    max_failed: 1\n    run: exit 5\n  - id: after\n    run: echo never\n`;
    const r = await run(wf);
    expect(r.code).toBe(1);
    const hosts = [...instances(r.report, 'bad').values()];
    expect(hosts.filter((s) => s.status === 'failed').map((s) => s.host)).toEqual(['h01', 'h02']);
    expect(hosts.filter((s) => s.status === 'skipped').every((s) => s.skipReason === 'cancelled')).toBe(true);
    expect(hosts).toHaveLength(8);
    expect(r.report.steps.find((s) => s.id === 'bad' && s.host === null)?.status).toBe('failed');
    expect(r.report.steps.find((s) => s.id === 'after')?.status).toBe('skipped');
  });

  it('restricts hosts with --limit names, groups and globs', async () => {
    const wf = `version: 1\n${hostsBlock(sshd!)}${fleetGroup(16)}steps:\n  - id: some\n    hosts: fleet\n    run: "true"\n`;
    const r = await run(wf, ['--limit', 'h03,h1*']);
    expect(r.code, r.stderr).toBe(0);
    expect([...instances(r.report, 'some').keys()].sort()).toEqual([
      'h03',
      'h10',
      'h11',
      'h12',
      'h13',
      'h14',
      'h15',
      'h16',
    ]);
  });

  it('marks a host on a closed port unreachable, runs the others, exits 3 and names the host', async () => {
    const port = await freePort(sshd!.addresses[0]);
    const down = `  down: { address: ${sshd!.addresses[0]}, port: ${port}, user: ${sshd!.user}, key: ${sshd!.keyFile} }`;
    const wf = `version: 1\n${hostsBlock(sshd!, 3, [down])}groups:\n  fleet: [h01, down, h02, h03]\nsteps:\n  - id: up\n    hosts: fleet\n    run: "true"\n`;
    const r = await run(wf);
    expect(r.code).toBe(3);
    const hosts = instances(r.report, 'up');
    expect(hosts.get('down')).toMatchObject({ status: 'unreachable', error: { code: 'unreachable' } });
    expect(['h01', 'h02', 'h03'].map((h) => hosts.get(h)?.status)).toEqual(['ok', 'ok', 'ok']);
    expect(r.report.unreachableHosts).toEqual(['down']);
    expect(r.stdout).toMatch(/run-end .*unreachable=down/);
  });

  it('leaves no remote process behind after a timeout', async () => {
    const dir = sharedDir();
    const wf = `version: 1\n${hostsBlock(sshd!, 2)}${fleetGroup(2)}steps:\n  - id: slow\n    hosts: fleet\n    timeout: 2s\n    run: echo $$ > ${dir}/$TASKER_TEST_HOST.pid; exec sleep 300\n`;
    const r = await run(wf);
    expect(r.code).toBe(4);
    expect([...instances(r.report, 'slow').values()].map((s) => s.status)).toEqual([
      'timed-out',
      'timed-out',
    ]);
    const pids = readdirSync(dir).map((f) => Number(readFileSync(join(dir, f), 'utf8')));
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(isAlive(pid), `remote pid ${pid}`).toBe(false);
  });

  it('reads an Ansible INI inventory: hosts, group vars and ansible_* fields', async () => {
    const s = sshd!;
    const dir = tempDir('tasker-ansible-');
    const ini = [
      '[web]',
      `a1 ansible_host=${s.addresses[0]}`,
      `a2 ansible_host=${s.addresses[1]} greeting=hey`,
      '',
      '[web:vars]',
      `ansible_port=${s.port}`,
      `ansible_user=${s.user}`,
      `ansible_ssh_private_key_file=${s.keyFile}`,
      'greeting=hello',
    ].join('\n');
    writeFileSync(join(dir, 'hosts.ini'), ini);
    const wf = `version: 1\ninventory: hosts.ini\nsteps:\n  - id: greet\n    hosts: web\n    run: echo "\${{ vars.greeting }} $TASKER_TEST_HOST"\n`;
    const r = await runWithReport(writeWorkflow(wf, dir), s.knownHostsFile);
    expect(r.code, r.stderr).toBe(0);
    const hosts = instances(r.report, 'greet');
    expect(readFileSync(hosts.get('a1')!.stdoutFile!, 'utf8').trim()).toBe('hello host01');
    expect(readFileSync(hosts.get('a2')!.stdoutFile!, 'utf8').trim()).toBe('hey host02');
  });
});
