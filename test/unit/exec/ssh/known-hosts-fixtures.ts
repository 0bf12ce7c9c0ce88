import { createHmac, randomBytes } from 'node:crypto';

/** An SSH public key blob: string type + string payload. */
export function blob(type: string, payload: string): Buffer {
  const t = Buffer.from(type);
  const p = Buffer.from(payload);
  const out = Buffer.alloc(8 + t.length + p.length);
  out.writeUInt32BE(t.length, 0);
  t.copy(out, 4);
  out.writeUInt32BE(p.length, 4 + t.length);
  p.copy(out, 8 + t.length);
  return out;
}

/** `name` as OpenSSH's HashKnownHosts writes it: `|1|salt|HMAC-SHA1(salt, name)`, with a fresh salt. */
export function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}
