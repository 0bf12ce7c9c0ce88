import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AstHost } from '../../../src/model/ast.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { expandHostPattern } from '../../../src/parse/ansible-ranges.js';
import { shlexWords } from '../../../src/parse/ansible-shlex.js';
import { loadWorkflowFile, parseInventoryText, type Inventory } from '../../../src/parse/index.js';

function parse(text: string, file = 'hosts'): { inv: Inventory; ds: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  return { inv: parseInventoryText(text, file, ds), ds };
}

/** The fields a host resolves to, as plain values. */
function fields(h: AstHost | undefined): Record<string, unknown> {
  if (!h) return {};
  const vars = Object.fromEntries(
    h.vars.map((v) => [v.name.value, v.value.parts.map((p) => (p.kind === 'text' ? p.text : '?')).join('')]),
  );
  return {
    address: h.sshHost?.value ?? h.address?.value,
    port: h.port?.value,
    user: h.user?.value,
    key: h.key?.value,
    proxyJump: h.proxyJump?.value,
    vars,
  };
}

const host = (inv: Inventory, name: string) => inv.hosts.find((h) => h.name.value === name);
const group = (inv: Inventory, name: string) =>
  inv.groups.find((g) => g.name.value === name)?.members.map((m) => m.value);
const where = (ds: Diagnostic[]) =>
  [...ds]
    .sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col)
    .map((d) => `${d.span.line}:${d.span.col} ${d.code} ${d.severity}`);

const INI = `# production
mail.example.com

[web]
web[01:03] ansible_user=deploy
db-special ansible_host=10.0.0.9 ansible_port=2222 ansible_ssh_private_key_file=~/.ssh/db role="primary db"  # inline comment

[db]
db-special
db[a:b].example.com:2200

[prod:children]
web
db

[prod:vars]
ansible_user=ops
region = eu-west
`;

describe('Ansible INI inventories', () => {
  it('reads groups, ranges, host vars and ansible_* fields', () => {
    const { inv, ds } = parse(INI);
    expect(ds).toEqual([]);
    expect(inv.hosts.map((h) => h.name.value)).toEqual([
      'mail.example.com',
      'web01',
      'web02',
      'web03',
      'db-special',
      'dba.example.com',
      'dbb.example.com',
    ]);
    expect(group(inv, 'web')).toEqual(['web01', 'web02', 'web03', 'db-special']);
    expect(group(inv, 'db')).toEqual(['db-special', 'dba.example.com', 'dbb.example.com']);
    expect(group(inv, 'prod')).toEqual(['web', 'db']);
    expect(group(inv, 'ungrouped')).toEqual(['mail.example.com']);
    expect(group(inv, 'all')).toHaveLength(7);
  });

  it('applies group vars with host vars and child groups winning over parents', () => {
    const { inv } = parse(INI);
    // web's line sets user=deploy, prod:vars sets ops: the host line wins.
    expect(fields(host(inv, 'web02'))).toMatchObject({ user: 'deploy', vars: { region: 'eu-west' } });
    expect(fields(host(inv, 'db-special'))).toMatchObject({
      address: '10.0.0.9',
      port: 2222,
      key: '~/.ssh/db',
      user: 'ops',
      vars: { role: 'primary db', region: 'eu-west' },
    });
    expect(fields(host(inv, 'dba.example.com'))).toMatchObject({ port: 2200, user: 'ops' });
    expect(fields(host(inv, 'mail.example.com'))).toMatchObject({ user: undefined, vars: {} });
  });

  it('lets a child group override its parent regardless of file order', () => {
    const { inv } = parse(
      '[child:vars]\nx=child\n[parent:vars]\nx=parent\n[parent:children]\nchild\n[child]\nh1\n[all:vars]\nx=all\ny=all\n',
    );
    expect(fields(host(inv, 'h1')).vars).toEqual({ x: 'child', y: 'all' });
  });

  it('points host and var spans into the inventory file', () => {
    const { inv } = parse(INI, '/inv/hosts');
    const h = host(inv, 'db-special')!;
    expect(h.name.span).toMatchObject({ file: '/inv/hosts', line: 6, col: 1 });
    expect(h.sshHost?.span).toMatchObject({ line: 6, col: 25, endCol: 33 });
    expect(h.user?.span).toMatchObject({ line: 17, col: 14 });
  });

  it('reports malformed lines with file:line:col and keeps going', () => {
    const { inv, ds } = parse(
      '[web]\nweb1 oops ansible_port=80\nweb[3:1]\nweb2 ansible_port=99999\n[web:vars]\nnovalue\n[web:hosts2]\nnot read\n',
    );
    expect(where(ds)).toEqual([
      '2:6 inventory error',
      '3:1 inventory warning',
      '4:19 inventory warning',
      '6:1 inventory error',
      '7:1 inventory error',
    ]);
    expect(ds.every((d) => d.hint)).toBe(true);
    expect(inv.hosts.map((h) => h.name.value)).toEqual(['web1', 'web2']);
    expect(host(inv, 'web1')?.port?.value).toBe(80);
    // A port tasker cannot use makes the host unusable: an error only where a step targets it.
    expect(host(inv, 'web2')?.unusable?.message).toMatch(/99999/);
  });

  it('reads ungrouped host lines from a file with no sections and no YAML shape', () => {
    const { inv, ds } = parse('# just hosts\nalpha ansible_host=10.1.1.1\nbeta\n');
    expect(ds).toEqual([]);
    expect(inv.hosts.map((h) => [h.name.value, h.sshHost?.value])).toEqual([
      ['alpha', '10.1.1.1'],
      ['beta', undefined],
    ]);
  });

  it('refuses a child group or a :vars section for a group the file never defines, as Ansible 2.14 does', () => {
    expect(where(parse('[prod:children]\nweb\n').ds)).toEqual(['2:1 inventory error']);
    expect(where(parse('[prod:vars]\nx=1\n').ds)).toEqual(['1:2 inventory error']);
    const { inv, ds } = parse('[prod:children]\nweb\n[web]\n');
    expect(ds).toEqual([]);
    expect(group(inv, 'prod')).toEqual(['web']);
    expect(group(inv, 'web')).toEqual([]);
  });

  it('warns about vars tasker cannot use and ansible_connection other than ssh', () => {
    const { inv, ds } = parse(
      '[local]\nbox ansible_connection=local bad-name=1 ansible_python_interpreter=/usr/bin/python3\n',
    );
    expect(where(ds)).toEqual(['2:24 inventory warning', '2:30 inventory warning', '2:41 inventory warning']);
    expect(ds[2]?.message).toMatch(/^ansible_python_interpreter is ignored/);
    expect(fields(host(inv, 'box')).vars).toEqual({});
  });

  it('maps a ProxyJump out of ansible_ssh_common_args', () => {
    const { inv } = parse(
      '[web]\nw1 ansible_ssh_common_args="-o ProxyJump=bastion.example.com"\nw2 ansible_ssh_common_args="-J jump@b2"\n',
    );
    expect(host(inv, 'w1')?.proxyJump?.value).toBe('bastion.example.com');
    expect(host(inv, 'w2')?.proxyJump?.value).toBe('jump@b2');
  });
});

describe('Ansible YAML inventories', () => {
  const YAML = `all:
  hosts:
    mail.example.com:
  vars:
    ansible_user: root
  children:
    web:
      hosts:
        web[1:2]:
          ansible_port: 2201
        web9:
          ansible_host: 10.0.0.9
          ansible_user: deploy
          tier: front
      vars:
        app: shop
    prod:
      children:
        web:
        db:
          hosts:
            db1: { ansible_ssh_private_key_file: /keys/db, ports: [1, 2] }
`;

  it('reads hosts, children and vars with Ansible precedence', () => {
    const { inv, ds } = parse(YAML, 'inv.yaml');
    expect(where(ds)).toEqual(['22:60 inventory warning']);
    expect(group(inv, 'all')).toEqual(['mail.example.com', 'web1', 'web2', 'web9', 'db1']);
    expect(inv.hosts.map((h) => h.name.value)).toEqual(['mail.example.com', 'web1', 'web2', 'web9', 'db1']);
    expect(group(inv, 'web')).toEqual(['web1', 'web2', 'web9']);
    expect(group(inv, 'prod')).toEqual(['web', 'db']);
    expect(group(inv, 'ungrouped')).toEqual(['mail.example.com']);
    expect(fields(host(inv, 'web2'))).toMatchObject({ port: 2201, user: 'root', vars: { app: 'shop' } });
    expect(fields(host(inv, 'web9'))).toMatchObject({
      address: '10.0.0.9',
      user: 'deploy',
      vars: { tier: 'front', app: 'shop' },
    });
    expect(fields(host(inv, 'db1'))).toMatchObject({ key: '/keys/db', user: 'root' });
    expect(host(inv, 'web9')?.sshHost?.span).toMatchObject({ file: 'inv.yaml', line: 12, col: 25 });
  });

  it('warns about unknown group keys (as Ansible does) and bad ports at their position', () => {
    const { inv, ds } = parse(
      'web:\n  hosts:\n    w1: { ansible_port: http }\n  host:\n    w2:\n',
      'inv.yml',
    );
    expect(where(ds)).toEqual(['3:25 inventory warning', '4:3 inventory warning']);
    expect(host(inv, 'w1')?.unusable?.message).toMatch(/"http"/);
    expect(host(inv, 'w2')).toBeUndefined();
  });

  it("keeps tasker's own shape for a mapping with hosts: and groups:", () => {
    const { inv, ds } = parse('hosts:\n  app1: { address: 10.0.0.1 }\ngroups:\n  app: [app1]\n', 'inv.yaml');
    expect(ds).toEqual([]);
    expect(inv.groups.map((g) => g.name.value)).toEqual(['app']);
    expect(host(inv, 'app1')?.address?.value).toBe('10.0.0.1');
  });

  it('reads INI text in a .yaml file as INI, as Ansible does when its yaml plugin fails', () => {
    const { inv, ds } = parse('[web]\nweb1\n', 'inv.yaml');
    expect(ds).toEqual([]);
    expect(inv.hosts.map((h) => h.name.value)).toEqual(['web1']);
    const broken = parse('all:\n  hosts:\n    web1: {\n', 'inv.yaml');
    expect(broken.ds.filter((d) => d.severity === 'error')[0]?.code).toBe('yaml-syntax');
  });
});

describe('host ranges and tokens', () => {
  it('expands numeric, zero-padded, lettered, stepped and multiple ranges', () => {
    expect(expandHostPattern('web[1:3]')).toEqual({ kind: 'ok', names: ['web1', 'web2', 'web3'] });
    expect(expandHostPattern('web[08:10].x')).toEqual({
      kind: 'ok',
      names: ['web08.x', 'web09.x', 'web10.x'],
    });
    expect(expandHostPattern('n[0:10:5]')).toEqual({ kind: 'ok', names: ['n0', 'n5', 'n10'] });
    expect(expandHostPattern('db-[a:c]')).toEqual({ kind: 'ok', names: ['db-a', 'db-b', 'db-c'] });
    expect(expandHostPattern('r[1:2]c[a:b]')).toEqual({
      kind: 'ok',
      names: ['r1ca', 'r1cb', 'r2ca', 'r2cb'],
    });
  });

  it('refuses bad and huge ranges', () => {
    for (const p of ['w[c:a]', 'w[01:100]', 'w[a:9]', 'w[1:5:0]', 'w[0:99999999]', 'w[0:999]x[0:999]'])
      expect(expandHostPattern(p).kind, p).toBe('error');
    // A numeric countdown is an empty range() to Ansible: no host, and a warning here.
    expect(expandHostPattern('w[3:1]x[1:2]')).toMatchObject({ kind: 'ok', names: [], warning: {} });
    expect(expandHostPattern('w[x:B]')).toEqual({ kind: 'ok', names: ['wx', 'wy', 'wz', 'wA', 'wB'] });
  });

  it('splits words like shlex, with quotes and # comments', () => {
    const split = shlexWords(`h a="x y" b='z' # c=d`, true);
    expect(split.kind === 'ok' ? split.words.map((t) => [t.text, t.start, t.end]) : split).toEqual([
      ['h', 0, 1],
      ['a=x y', 2, 9],
      ['b=z', 10, 15],
    ]);
  });
});

describe('loadWorkflowFile with an Ansible inventory', () => {
  it('merges an INI inventory named without an extension and points its diagnostics at it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasker-ansible-'));
    writeFileSync(join(dir, 'hosts'), '[web]\nweb1 ansible_host=10.0.0.1\nweb2 junk\n');
    writeFileSync(
      join(dir, 'flow.yaml'),
      'version: 1\ninventory: hosts\nsteps:\n  - run: uptime\n    hosts: web\n',
    );
    const out = await loadWorkflowFile(join(dir, 'flow.yaml'));
    expect(out.diagnostics.map((d) => [d.span.file, d.span.line, d.span.col, d.code])).toEqual([
      [join(dir, 'hosts'), 3, 6, 'inventory'],
    ]);
    expect(out.workflow?.hosts.map((h) => [h.name.value, h.sshHost?.value])).toEqual([
      ['web1', '10.0.0.1'],
      ['web2', undefined],
    ]);
    expect(out.workflow?.groups.map((g) => g.name.value)).toEqual(['web', 'ungrouped', 'all']);
  });
});

describe('the example inventories under fixtures/inventory', () => {
  const read = (name: string) => {
    const path = join(import.meta.dirname, '../../../fixtures/inventory', name);
    return parse(readFileSync(path, 'utf8'), path);
  };
  const summary = (inv: Inventory) =>
    inv.hosts.map((h) => {
      const f = fields(h);
      return [h.name.value, f.address, f.port, f.user, f.key, f.proxyJump, JSON.stringify(f.vars)];
    });

  it('reads the INI and the YAML form to the same hosts, clean', () => {
    const ini = read('hosts.ini');
    const yml = read('hosts.yml');
    expect(ini.ds).toEqual([]);
    expect(yml.ds).toEqual([]);
    expect(summary(ini.inv)).toEqual(summary(yml.inv));
    expect(fields(host(ini.inv, 'web02.example.com'))).toMatchObject({
      user: 'deploy',
      vars: { region: 'eu-west' },
    });
    expect(fields(host(ini.inv, 'db2'))).toMatchObject({ user: 'ops', proxyJump: 'bastion.example.com' });
    expect(group(ini.inv, 'prod')).toEqual(group(yml.inv, 'prod'));
  });

  it("reads tasker's own shape", () => {
    const { inv, ds } = read('tasker.yaml');
    expect(ds).toEqual([]);
    expect(group(inv, 'prod')).toEqual(['web', 'db1']);
  });
});
