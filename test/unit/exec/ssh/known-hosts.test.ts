import { describe, expect, it } from 'vitest';
import {
  fingerprintOf,
  hostFieldMatches,
  keyTypeOf,
  knownHostName,
  lookupInEntries,
  parseKnownHosts,
} from '../../../../src/exec/ssh/known-hosts.js';
import { blob, hashed } from './known-hosts-fixtures.js';

const keyA = blob('ssh-ed25519', 'A'.repeat(32));
const keyB = blob('ssh-ed25519', 'B'.repeat(32));
const rsa = blob('ssh-rsa', 'R'.repeat(64));
const line = (hosts: string, key: Buffer, marker = ''): string =>
  `${marker}${marker ? ' ' : ''}${hosts} ${keyTypeOf(key)} ${key.toString('base64')}`;

describe('known_hosts', () => {
  it('names non-22 ports as [host]:port', () => {
    expect(knownHostName('h', 22)).toBe('h');
    expect(knownHostName('h', 2222)).toBe('[h]:2222');
  });

  it('matches plain names, comma lists, wildcards, negations and hashed names', () => {
    expect(hostFieldMatches(['a', 'web1'], 'web1')).toBe(true);
    expect(hostFieldMatches(['[web1]:2222'], '[web1]:2222')).toBe(true);
    expect(hostFieldMatches(['[web1]:2222'], 'web1')).toBe(false);
    expect(hostFieldMatches(['*.example.com', '!bad.example.com'], 'ok.example.com')).toBe(true);
    expect(hostFieldMatches(['*.example.com', '!bad.example.com'], 'bad.example.com')).toBe(false);
    expect(hostFieldMatches(['web?'], 'web12')).toBe(false);
    expect(hostFieldMatches([hashed('[10.0.0.1]:2222')], '[10.0.0.1]:2222')).toBe(true);
    expect(hostFieldMatches([hashed('10.0.0.1')], '10.0.0.2')).toBe(false);
  });

  it('skips comments, blank and malformed lines, and keeps line numbers', () => {
    const entries = parseKnownHosts(`# comment\n\nbroken-line\n${line('web1', keyA)}\n`, 'kh');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ file: 'kh', line: 4, keyType: 'ssh-ed25519' });
  });

  it('reports match, mismatch (same type), unknown (other type only) and revoked', () => {
    const entries = parseKnownHosts(
      [line('web1', keyA), line('db1', rsa), line('*', keyB, '@revoked')].join('\n'),
      'kh',
    );
    expect(lookupInEntries(entries, 'web1', 22, keyA)).toMatchObject({ kind: 'match', line: 1 });
    expect(lookupInEntries(entries, 'db1', 22, keyA)).toEqual({ kind: 'unknown', otherTypes: ['ssh-rsa'] });
    expect(lookupInEntries(entries, 'other', 22, keyA)).toEqual({ kind: 'unknown', otherTypes: [] });
    expect(lookupInEntries(entries, 'web1', 22, keyB)).toMatchObject({ kind: 'revoked', line: 3 });
    const keyC = blob('ssh-ed25519', 'C'.repeat(32));
    expect(lookupInEntries(entries, 'web1', 22, keyC)).toMatchObject({
      kind: 'mismatch',
      expected: [fingerprintOf(keyA)],
      line: 1,
    });
  });

  it('ignores @cert-authority lines for plain host keys', () => {
    const entries = parseKnownHosts(line('web1', keyA, '@cert-authority'), 'kh');
    expect(lookupInEntries(entries, 'web1', 22, keyB)).toEqual({ kind: 'unknown', otherTypes: [] });
  });

  it('fingerprints as OpenSSH does: SHA256 and unpadded base64', () => {
    expect(fingerprintOf(keyA)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
