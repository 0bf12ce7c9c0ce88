import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExecError } from '../types.js';

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  marker?: 'revoked' | 'cert-authority';
  patterns: string[];
  keyType: string;
  key: Buffer;
  file: string;
  line: number;
}

export type HostKeyLookup =
  | { kind: 'match'; file: string; line: number }
  | { kind: 'revoked'; file: string; line: number }
  /** Same key type recorded with a different key: the host key changed (or someone is in between). */
  | { kind: 'mismatch'; expected: string[]; file: string; line: number }
  /** Nothing recorded for this key type; `otherTypes` lists types that are recorded. */
  | { kind: 'unknown'; otherTypes: string[] };

/** OpenSSH's fingerprint form: `SHA256:` + unpadded base64 of the SHA-256 of the key blob. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type is the first length-prefixed string of an SSH public key blob. */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return '';
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString('latin1');
}

/** How known_hosts names a host: the bare name on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    } else if (fields[0].startsWith('@')) return;
    const [hosts, keyType, keyText] = fields;
    if (hosts === undefined || keyType === undefined || keyText === undefined) return;
    const key = Buffer.from(keyText, 'base64');
    if (key.length === 0) return;
    entries.push({
      ...(marker ? { marker } : {}),
      patterns: hosts.split(','),
      keyType,
      key,
      file,
      line: index + 1,
    });
  });
  return entries;
}

function hashedMatch(pattern: string, name: string): boolean {
  const [, , salt, hash] = pattern.split('|');
  if (salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return digest.equals(Buffer.from(hash, 'base64'));
}

function globMatch(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

/** A host field matches when some pattern matches and no negated (`!pat`) pattern does. */
export function hostFieldMatches(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('|1|')) matched ||= hashedMatch(pattern, name);
    else if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false;
    } else matched ||= globMatch(pattern, name);
  }
  return matched;
}

export function lookupInEntries(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  presented: Buffer,
): HostKeyLookup {
  const name = knownHostName(host, port);
  const mine = entries.filter((e) => e.marker !== 'cert-authority' && hostFieldMatches(e.patterns, name));
  return classifyLookup(
    mine,
    entries.filter((e) => e.marker === 'revoked'),
    presented,
  );
}

/** The verdict from the entries naming the host (in file order) and every `@revoked` entry. */
export function classifyLookup(
  mine: readonly KnownHostEntry[],
  revokedEntries: readonly KnownHostEntry[],
  presented: Buffer,
): HostKeyLookup {
  const revoked = revokedEntries.find((e) => e.key.equals(presented));
  if (revoked) return { kind: 'revoked', file: revoked.file, line: revoked.line };
  const plain = mine.filter((e) => e.marker === undefined);
  const match = plain.find((e) => e.key.equals(presented));
  if (match) return { kind: 'match', file: match.file, line: match.line };
  const type = keyTypeOf(presented);
  const sameType = plain.filter((e) => e.keyType === type);
  const first = sameType[0];
  if (first)
    return {
      kind: 'mismatch',
      expected: sameType.map((e) => fingerprintOf(e.key)),
      file: first.file,
      line: first.line,
    };
  return { kind: 'unknown', otherTypes: [...new Set(plain.map((e) => e.keyType))] };
}

/**
 * A file's text, or undefined when it does not exist. Any other read error (EACCES, EISDIR, EIO, …)
 * fails closed: a file that cannot be read may hold the key that refuses this server.
 */
export async function readKnownHostsFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return undefined;
    throw new ExecError(
      'host-key',
      `cannot read known_hosts file ${file} (${code}); host keys cannot be checked, so no connection is made. ` +
        `Fix its permissions (it must be a readable file) or remove it from the known_hosts list`,
      { cause },
    );
  }
}

/** Appends a plain entry, creating the directory (0700) when needed. */
export async function appendKnownHost(file: string, host: string, port: number, key: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existing = (await readKnownHostsFile(file)) ?? '';
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${sep}${knownHostName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`, {
    mode: 0o600,
  });
}
