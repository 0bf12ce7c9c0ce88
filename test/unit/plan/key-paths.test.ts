import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SshTarget } from '../../../src/model/plan.js';
import { loadWorkflowFile, parseWorkflowText } from '../../../src/parse/index.js';
import { buildPlan } from '../../../src/plan/index.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const keyOf = (hosts: Record<string, unknown> | undefined, name: string): string | undefined =>
  (hosts?.[name] as SshTarget | undefined)?.keyFile;

describe("a host's relative `key:` (tasker started elsewhere, as cron starts it in $HOME)", () => {
  it('resolves against the workflow file; ~ and absolute paths are kept', () => {
    const text = `version: 1
hosts:
  web1: { address: 10.0.0.1, key: keys/deploy }
  web2: { address: 10.0.0.2, key: ~/.ssh/deploy }
  web3: { address: 10.0.0.3, key: /etc/tasker/deploy }
steps:
  - hosts: [web1, web2, web3]
    run: uptime
`;
    const parsed = parseWorkflowText(text, '/srv/flows/backup.yaml');
    const plan = buildPlan(parsed.workflow!, {}).plan!;
    expect([keyOf(plan.hosts, 'web1'), keyOf(plan.hosts, 'web2'), keyOf(plan.hosts, 'web3')]).toEqual([
      '/srv/flows/keys/deploy',
      '~/.ssh/deploy',
      '/etc/tasker/deploy',
    ]);
  });

  it("written in an inventory file (tasker's or Ansible's), resolves against the workflow file too", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasker-keys-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'inventory'));
    writeFileSync(
      join(dir, 'inventory', 'hosts.yaml'),
      'hosts:\n  db1: { address: 10.0.0.9, key: db.key }\n',
    );
    writeFileSync(
      join(dir, 'flow.yaml'),
      'version: 1\ninventory: inventory/hosts.yaml\nsteps:\n  - host: db1\n    run: uptime\n',
    );
    const parsed = await loadWorkflowFile(join(dir, 'flow.yaml'));
    const plan = buildPlan(parsed.workflow!, {}).plan!;
    expect(keyOf(plan.hosts, 'db1')).toBe(join(dir, 'db.key'));
  });
});
