import SSHConfig from 'ssh-config';
import { describe, expect, it } from 'vitest';
import { expandPath, hostKey, parseJumpHop, resolveHost } from '../../../../src/exec/ssh/config.js';
import type { SshTarget } from '../../../../src/model/plan.js';
import { resolveSettings } from '../../../../src/exec/ssh/options.js';

const settings = {
  ...resolveSettings({ sshConfigFile: null, agentSocket: null }),
  home: '/home/me',
  localUser: 'me',
};
const target = (name: string, extra: Partial<SshTarget> = {}): SshTarget => ({
  kind: 'ssh',
  name,
  vars: {},
  ...extra,
});
const config = SSHConfig.parse(`
Host web-*
  HostName 10.0.0.5
  Port 2222
  User deploy
  IdentityFile ~/.ssh/web_key
  IdentityFile %d/.ssh/%r_key
  ConnectTimeout 3
  StrictHostKeyChecking accept-new
  UserKnownHostsFile ~/.ssh/kh1 ~/.ssh/kh2
  ProxyJump bastion
Host bastion
  HostName 10.0.0.1
  User jump
Host inner
  ProxyJump a@j1:2201,j2
`);

describe('resolveHost', () => {
  it('defaults: the name as address, port 22, the local user, strict', () => {
    expect(resolveHost(target('db1'), settings, undefined)).toMatchObject({
      address: 'db1',
      port: 22,
      user: 'me',
      hostKeyPolicy: 'strict',
      connectTimeoutMs: 10_000,
      knownHostsFiles: ['/home/me/.ssh/known_hosts', '/etc/ssh/ssh_known_hosts'],
      identityFiles: [],
    });
  });

  it('reads HostName, Port, User, IdentityFile (expanded), ConnectTimeout, policy, known_hosts and ProxyJump', () => {
    const h = resolveHost(target('web-1'), settings, config);
    expect(h).toMatchObject({
      label: 'web-1',
      address: '10.0.0.5',
      port: 2222,
      user: 'deploy',
      identityFiles: ['/home/me/.ssh/web_key', '/home/me/.ssh/deploy_key'],
      connectTimeoutMs: 3000,
      hostKeyPolicy: 'accept-new',
      knownHostsFiles: ['/home/me/.ssh/kh1', '/home/me/.ssh/kh2', '/etc/ssh/ssh_known_hosts'],
    });
    expect(h.via).toMatchObject({ label: 'bastion', address: '10.0.0.1', user: 'jump', port: 22 });
  });

  it('lets inventory fields override ssh_config', () => {
    const h = resolveHost(
      target('web-1', {
        address: '192.0.2.1',
        port: 22,
        user: 'ops',
        keyFile: '/k',
        proxyJump: 'none',
        connectTimeoutMs: 500,
      }),
      settings,
      config,
    );
    expect(h).toMatchObject({ address: '192.0.2.1', port: 22, user: 'ops', connectTimeoutMs: 500 });
    expect(h.identityFiles[0]).toBe('/k');
    expect(h.via).toBeUndefined();
  });

  it('chains ProxyJump a,b: the target goes via b, which goes via a', () => {
    const h = resolveHost(target('inner'), settings, config);
    expect(h.via).toMatchObject({ address: 'j2', port: 22 });
    expect(h.via?.via).toMatchObject({ address: 'j1', port: 2201, user: 'a' });
    expect(hostKey(h)).toBe('me@inner:22 via me@j2:22 via a@j1:2201');
  });

  it('rejects a bad port with code internal', () => {
    expect(() => resolveHost(target('x'), settings, SSHConfig.parse('Host x\n  Port 99999\n'))).toThrow(
      expect.objectContaining({ code: 'internal' }),
    );
  });

  it('parses jump hops and expands tokens', () => {
    expect(parseJumpHop('ssh://u@[::1]:22')).toMatchObject({ name: '::1', user: 'u', port: 22 });
    expect(expandPath('~/%h-%p-%%', { home: '/h', host: 'x', port: 1, user: 'u', localUser: 'l' })).toBe(
      '/h/x-1-%',
    );
  });
});

describe('resolveHost for a host from an Ansible inventory (sshHost = ansible_host)', () => {
  it('matches ~/.ssh/config on the address ssh is given, not the inventory name', () => {
    const cfg = SSHConfig.parse('Host db1\n  HostName wrong\nHost 10.9.9.9\n  HostName real\n  Port 2022\n');
    const spec = resolveHost(target('db1', { sshHost: '10.9.9.9' }), settings, cfg);
    expect([spec.address, spec.port]).toEqual(['real', 2022]);
    expect(resolveHost(target('db1', { sshHost: '10.8.8.8' }), settings, cfg).address).toBe('10.8.8.8');
  });

  it("takes the host's own host-key mode, below the run's setting", () => {
    expect(resolveHost(target('h', { hostKeyPolicy: 'accept-new' }), settings, undefined).hostKeyPolicy).toBe(
      'accept-new',
    );
    const strictRun = { ...settings, hostKeyPolicy: 'strict' as const };
    expect(
      resolveHost(target('h', { hostKeyPolicy: 'accept-new' }), strictRun, undefined).hostKeyPolicy,
    ).toBe('strict');
  });
});
