import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSshConfig, resolveHost, type HostSpec } from '../../src/exec/ssh/config.js';
import { resolveSettings } from '../../src/exec/ssh/options.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { loadWorkflowFile, parseInventoryText } from '../../src/parse/index.js';
import { buildCatalog, resolveItems } from '../../src/plan/targets.js';
import { repoRoot, tempDir } from '../helpers/cli.js';

/**
 * Every fixture under fixtures/ansible/ goes through Ansible itself (ansible-inventory --list, then
 * Ansible's ssh connection plugin building its real command line, then `ssh -G`: see
 * test/helpers/ansible_oracle.py) and through tasker's reader and ssh resolution; hosts, group
 * membership, address, port, user, jump host, host-key mode and string variables must agree host by
 * host. A host tasker marks unusable (a value it cannot evaluate) is exempt from the connection
 * comparison, never silently different.
 */

const inventoryBin = spawnSync('sh', ['-c', 'command -v ansible-inventory'], {
  encoding: 'utf8',
}).stdout.trim();
const sshBin = spawnSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).stdout.trim();
const available = inventoryBin !== '' && sshBin !== '';
if (!available) {
  const why = 'ansible-inventory or ssh is not installed (apt-get install ansible openssh-client)';
  // CI installs both (.ci/run); there a missing tool is a failure, not a skip.
  if (process.env.CI) throw new Error(`the Ansible differential test cannot run: ${why}`);
  console.warn(`\n!!! SKIPPING the Ansible differential test: ${why} !!!\n`);
}

/** The interpreter Ansible runs under, from ansible-inventory's #! line. */
function ansiblePython(): string {
  const first = readFileSync(inventoryBin, 'utf8').split('\n')[0] ?? '';
  return first.replace(/^#!\s*/, '').split(/\s+/)[0] || 'python3';
}

interface OracleHost {
  groups: string[];
  vars: Record<string, unknown>;
  connection:
    | { address: string; port: number; user: string; jump: string | null; hostKeyChecking: string }
    | { error: string };
}

function oracle(inventory: string, playbookDir: string, sshConfig: string): Record<string, OracleHost> {
  const cwd = tempDir('tasker-ansible-cwd-');
  // An empty ansible.cfg: no configuration on this machine changes what Ansible does.
  writeFileSync(join(cwd, 'ansible.cfg'), '');
  const out = execFileSync(
    ansiblePython(),
    [join(repoRoot, 'test/helpers/ansible_oracle.py'), inventory, playbookDir, sshConfig],
    {
      encoding: 'utf8',
      cwd,
      env: {
        ...process.env,
        HOME: tempDir('tasker-ansible-home-'),
        ANSIBLE_CONFIG: join(cwd, 'ansible.cfg'),
      },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return (JSON.parse(out) as { hosts: Record<string, OracleHost> }).hosts;
}

/** `[user@]host[:port]` with defaults filled, brackets off: how both sides' jump hosts are compared. */
function hop(text: string, localUser: string): { user: string; host: string; port: number } {
  const m = /^(?:ssh:\/\/)?(?:(.+)@)?(\[[^\]]+\]|[^:@]+)(?::(\d+))?$/.exec(
    text.replace(/^\[(\[.*\])\]/, '$1'),
  );
  if (!m) throw new Error(`not a jump host: ${text}`);
  return {
    user: m[1] ?? localUser,
    host: m[2]!.replace(/^\[|\]$/g, '').toLowerCase(),
    port: Number(m[3] ?? 22),
  };
}

const cases = readdirSync(join(repoRoot, 'fixtures/ansible')).sort();

describe.skipIf(!available)('Ansible inventories read as ansible-inventory and Ansible ssh read them', () => {
  it.each(cases)('%s', async (name) => {
    const dir = join(repoRoot, 'fixtures/ansible', name);
    const flow = join(dir, 'flow.yaml');
    const sshConfig = existsSync(join(dir, 'ssh_config')) ? join(dir, 'ssh_config') : '/dev/null';
    const loaded = await loadWorkflowFile(flow);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
    const workflow = loaded.workflow!;
    const inventory = join(dirname(flow), workflow.inventory!.value);
    const ansible = oracle(inventory, dir, sshConfig);
    const { catalog } = buildCatalog(workflow);

    expect([...catalog.hosts.keys()].sort()).toEqual(Object.keys(ansible).sort());
    const settings = resolveSettings({ sshConfigFile: sshConfig, knownHostsFiles: [], agentSocket: null });
    const config = loadSshConfig(sshConfig);
    const memberOf = new Map<string, string[]>();
    for (const g of catalog.groups.keys()) {
      const span = { file: flow, line: 1, col: 1, endLine: 1, endCol: 1 };
      for (const h of resolveItems(catalog, [{ value: g, span }], 'test').names)
        memberOf.set(h, [...(memberOf.get(h) ?? []), g]);
    }
    let compared = 0;
    for (const [host, expected] of Object.entries(ansible)) {
      const target = catalog.hosts.get(host)!;
      expect([...new Set(memberOf.get(host))].sort(), `${name}: groups of ${host}`).toEqual(
        [...expected.groups].sort(),
      );
      for (const [k, v] of Object.entries(expected.vars)) {
        if (k.startsWith('ansible_') || k.startsWith('inventory_') || typeof v !== 'string') continue;
        const mine = target.vars[k]?.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
        expect(mine, `${name}: ${host} var ${k}`).toBe(v);
      }
      const c = expected.connection;
      if ('error' in c) throw new Error(`${name}: Ansible cannot connect to ${host}: ${c.error}`);
      if (catalog.unusable.has(host)) continue;
      const spec: HostSpec = resolveHost(target, settings, config);
      const ours = {
        // OpenSSH lowercases the host it is given; DNS does not care.
        address: spec.address.toLowerCase(),
        port: spec.port,
        user: spec.user,
        jump: spec.via
          ? { user: spec.via.user, host: spec.via.address.toLowerCase(), port: spec.via.port }
          : null,
        acceptNew: spec.hostKeyPolicy === 'accept-new',
      };
      const theirs = {
        address: c.address.toLowerCase(),
        port: c.port,
        user: c.user,
        jump: c.jump === null ? null : hop(c.jump, settings.localUser),
        acceptNew: c.hostKeyChecking === 'false' || c.hostKeyChecking === 'accept-new',
      };
      expect(ours, `${name}: connection to ${host}`).toEqual(theirs);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

const refused = readdirSync(join(repoRoot, 'fixtures/ansible-refused')).sort();

describe.skipIf(!available)('inventories Ansible refuses are refused by tasker too', () => {
  it.each(refused)('%s', (name) => {
    const file = join(repoRoot, 'fixtures/ansible-refused', name);
    const run = spawnSync('ansible-inventory', ['-i', file, '--list'], {
      encoding: 'utf8',
      cwd: tempDir('tasker-ansible-cwd-'),
      env: { ...process.env, HOME: tempDir('tasker-ansible-home-') },
    });
    expect(run.stderr, 'Ansible reads it after all').toMatch(/Unable to parse/);
    const diagnostics: Diagnostic[] = [];
    parseInventoryText(readFileSync(file), file, diagnostics);
    expect(diagnostics.filter((d) => d.severity === 'error').length, 'tasker reads it').toBeGreaterThan(0);
  });
});
