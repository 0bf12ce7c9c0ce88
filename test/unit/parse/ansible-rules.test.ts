import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { parseSshArgs } from '../../../src/parse/ansible-ssh-args.js';
import { loadWorkflowFile, parseInventoryText } from '../../../src/parse/index.js';
import { buildPlan } from '../../../src/plan/index.js';

/** The rules of issue 16 that need no Ansible to check (the differential test checks the rest). */
function parse(text: string, file = 'hosts') {
  const ds: Diagnostic[] = [];
  const inv = parseInventoryText(text, file, ds);
  return { inv, ds, host: (n: string) => inv.hosts.find((h) => h.name.value === n) };
}
const messages = (ds: Diagnostic[]) => ds.map((d) => `${d.severity}: ${d.message}`);

describe('ssh arguments', () => {
  it('reads jump hosts from -J, quoted ProxyJump and ProxyCommand ssh -W, first one winning', () => {
    expect(parseSshArgs('-o ProxyJump="admin@bastion"').proxyJump).toBe('admin@bastion');
    expect(parseSshArgs(`-o ProxyCommand="ssh -W %h:%p admin@gw-Jumphost"`).proxyJump).toBe(
      'admin@gw-Jumphost',
    );
    expect(parseSshArgs(`-o 'ProxyCommand ssh -q -p 2200 -l ops -W %h:%p gw'`).proxyJump).toBe('ops@gw:2200');
    expect(parseSshArgs('-Jfirst@a -o ProxyJump=second').proxyJump).toBe('first@a');
    expect(parseSshArgs('-o ProxyJump=none').proxyJump).toBe('');
  });

  it('applies StrictHostKeyChecking=no as accept-new with a note, and names every other option', () => {
    const a = parseSshArgs(
      '-C -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ServerAliveInterval=30 x',
    );
    expect(a.hostKeyPolicy).toBe('accept-new');
    expect(a.notes.filter((n) => n.kind === 'applied')).toHaveLength(1);
    expect(a.notes.filter((n) => n.kind === 'ignored').map((n) => n.text)).toEqual([
      '-C',
      '-o UserKnownHostsFile=/dev/null',
      '-o ServerAliveInterval=30',
      '"x" is not an ssh option',
    ]);
  });

  it('refuses an unclosed quote instead of guessing', () => {
    expect(parseSshArgs('-o "ProxyJump=a').error).toMatch(/cannot be split/);
  });

  it('warns on a ProxyCommand it does not understand and connects directly', () => {
    const a = parseSshArgs('-o ProxyCommand="nc -X 5 -x proxy:1080 %h %p"');
    expect(a.proxyJump).toBe('');
    expect(a.notes[0]?.text).toMatch(/only "ssh -W %h:%p/);
  });
});

describe('connection variables', () => {
  it('warns about the ssh options tasker applies with a caveat and those it does not apply', () => {
    const { ds, host } = parse(
      `[web]\nw1 ansible_ssh_common_args='-o StrictHostKeyChecking=no -o ControlPersist=60s'\n`,
    );
    expect(host('w1')?.hostKeyPolicy?.value).toBe('accept-new');
    expect(messages(ds)).toEqual([
      expect.stringMatching(
        /^warning: ansible_ssh_common_args: StrictHostKeyChecking=no is applied as tasker's accept-new/,
      ),
      'warning: ansible_ssh_common_args: tasker does not apply -o ControlPersist=60s',
    ]);
  });

  it('follows {{ name }} references and never uses other Jinja as literal text', () => {
    const { ds, host } = parse(
      [
        '[web]',
        'w1 ip=10.0.0.1 ansible_host="{{ ip }}" ansible_user="{{ lookup(\'env\', \'USER\') }}"',
        'w2 ansible_port="{{ web_port | int }}"',
        'w3 ansible_host="{{ undefined_var }}"',
      ].join('\n'),
    );
    expect(host('w1')?.sshHost?.value).toBe('10.0.0.1');
    expect(host('w1')?.user).toBeUndefined();
    expect(host('w2')?.unusable?.message).toMatch(/ansible_port is a Jinja template/);
    expect(host('w3')?.unusable?.message).toMatch(/ansible_host is a Jinja template/);
    expect(ds.every((d) => d.severity === 'warning')).toBe(true);
    expect(messages(ds).join('\n')).toMatch(/ansible_user on w1 is a Jinja template/);
  });

  it('names each ignored ansible_* variable once, with how many definitions it has (issue 10)', () => {
    const { ds } = parse(
      '[web]\nw1 ansible_become=true\nw2 ansible_become=yes ansible_password=x\n[web:vars]\nansible_become_user=root\n',
    );
    expect(messages(ds)).toEqual([
      'warning: ansible_become is ignored (and 1 more definition): tasker does not escalate from inventory variables; use `sudo:` on the steps that need it',
      'warning: ansible_password is ignored: tasker does not log in with passwords; use a key or ssh-agent',
      'warning: ansible_become_user is ignored: tasker does not escalate from inventory variables; use `sudo:` on the steps that need it',
    ]);
  });

  it('lets ansible_ssh_* win over ansible_* at any level', () => {
    const { host } = parse(
      '[g]\nh ansible_host=1.1.1.1 ansible_port=22 ansible_user=a\n[g:vars]\nansible_ssh_host=2.2.2.2\nansible_ssh_port=2222\nansible_ssh_user=b\n',
    );
    expect([host('h')?.sshHost?.value, host('h')?.port?.value, host('h')?.user?.value]).toEqual([
      '2.2.2.2',
      2222,
      'b',
    ]);
  });
});

describe('an unusable host', () => {
  it('is an error only for the steps that would run on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasker-unusable-'));
    writeFileSync(join(dir, 'hosts'), '[web]\nok1\nbad1 ansible_port="{{ p + 1 }}"\n[db]\ndb1\n');
    writeFileSync(
      join(dir, 'a.yaml'),
      'version: 1\ninventory: hosts\nsteps:\n  - run: "true"\n    hosts: db\n',
    );
    writeFileSync(
      join(dir, 'b.yaml'),
      'version: 1\ninventory: hosts\nsteps:\n  - run: "true"\n    hosts: web\n',
    );
    const a = await loadWorkflowFile(join(dir, 'a.yaml'));
    expect(buildPlan(a.workflow!).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const b = await loadWorkflowFile(join(dir, 'b.yaml'));
    const errors = buildPlan(b.workflow!).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.span.file, d.span.line])).toEqual([
      ['inventory', join(dir, 'hosts'), 3],
    ]);
    expect(
      buildPlan(b.workflow!, { limit: 'ok1' }).diagnostics.filter((d) => d.severity === 'error'),
    ).toEqual([]);
  });
});

describe('inventory directories and vars files', () => {
  it('reads a directory as Ansible does and says what it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasker-invdir-'));
    mkdirSync(join(dir, 'inv/group_vars'), { recursive: true });
    writeFileSync(join(dir, 'inv/a'), '[web]\nw1\n');
    writeFileSync(join(dir, 'inv/skipped.ini'), '[web]\nnever\n');
    writeFileSync(join(dir, 'inv/script.py'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(dir, 'inv/aws_ec2.yml'), 'plugin: amazon.aws.aws_ec2\n');
    writeFileSync(join(dir, 'inv/group_vars/web.yml'), 'ansible_user: deploy\n');
    writeFileSync(join(dir, 'inv/group_vars/all.yml'), '$ANSIBLE_VAULT;1.1;AES256\n3838\n');
    writeFileSync(
      join(dir, 'flow.yaml'),
      'version: 1\ninventory: inv\nsteps:\n  - run: "true"\n    hosts: web\n',
    );
    const out = await loadWorkflowFile(join(dir, 'flow.yaml'));
    expect(out.workflow?.hosts.map((h) => [h.name.value, h.user?.value])).toEqual([['w1', 'deploy']]);
    expect(out.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(messages(out.diagnostics).join('\n')).toMatch(/script\.py is executable/);
    expect(messages(out.diagnostics).join('\n')).toMatch(/inventory plugin configuration/);
    expect(messages(out.diagnostics).join('\n')).toMatch(/encrypted with ansible-vault/);
  });
});

describe('Ansible YAML tags', () => {
  it('reads !unsafe as literal text and !vault as a value tasker cannot use, without tag warnings', () => {
    const { ds, host } = parse(
      'all:\n  hosts:\n    h1:\n      ansible_user: !unsafe "u{{x}}"\n      ansible_host: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        3838\n',
      'inv.yml',
    );
    expect(host('h1')?.user?.value).toBe('u{{x}}');
    expect(host('h1')?.unusable?.message).toMatch(/ansible_host is an ansible-vault encrypted value/);
    expect(messages(ds)).toEqual([expect.stringMatching(/^warning: ansible_host is an ansible-vault/)]);
  });
});

describe('ansible.cfg', () => {
  it('is not read, and one that sets connection settings gets a warning naming them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasker-cfg-'));
    writeFileSync(join(dir, 'hosts'), '[web]\nw1\n');
    writeFileSync(
      join(dir, 'ansible.cfg'),
      '[defaults]\nforks = 20\nremote_user = ubuntu\nhost_key_checking = False\n[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto\n',
    );
    writeFileSync(
      join(dir, 'flow.yaml'),
      'version: 1\ninventory: hosts\nsteps:\n  - run: "true"\n    hosts: web\n',
    );
    const out = await loadWorkflowFile(join(dir, 'flow.yaml'));
    expect(out.workflow?.hosts[0]?.user).toBeUndefined();
    expect(messages(out.diagnostics)).toEqual([
      `warning: ${join(dir, 'ansible.cfg')} sets remote_user=ubuntu, host_key_checking=False, ssh_args=-o ControlMaster=auto; tasker does not read ansible.cfg, so these do not apply`,
    ]);
    expect(out.diagnostics[0]?.span.line).toBe(3);
  });
});
