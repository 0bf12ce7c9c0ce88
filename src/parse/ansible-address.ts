/**
 * Ansible's `parse_address` (ansible/parsing/utils/addresses.py) with ranges allowed: splits
 * `host:port`, `[v6]:port` and `[host]:port`, and keeps the whole text as the host (with no port)
 * when what is left is not an IPv4/IPv6 address or host name, exactly as Ansible does.
 */

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const V6 = String.raw`(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const V4 = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
const WORD = String.raw`[\p{L}\p{N}\p{M}\p{Pc}]`;
const LABEL = String.raw`(?:${WORD}|${ALNUM_RANGE})(?:${WORD}|[_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/s;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/s;
const IPV4 = new RegExp(String.raw`^(?:${V4}\.){3}${V4}$`, 'iu');
/**
 * Ansible's IPv6 pattern is `^alt1|alt2|…|alt13$` under `re.match`: every alternative is anchored at
 * the start, only the last at the end, so any text that starts like an IPv6 address passes. Kept
 * as is, since the point is to split `host:port` exactly as Ansible does.
 */
const IPV6_ALTERNATIVES = [
  String.raw`(?:${V6}:){7}${V6}`,
  String.raw`(?:${V6}:){1,6}:`,
  String.raw`(?:${V6}:)(?::${V6}){1,6}`,
  String.raw`(?:${V6}:){2}(?::${V6}){1,5}`,
  String.raw`(?:${V6}:){3}(?::${V6}){1,4}`,
  String.raw`(?:${V6}:){4}(?::${V6}){1,3}`,
  String.raw`(?:${V6}:){5}(?::${V6}){1,2}`,
  String.raw`(?:${V6}:){6}(?::${V6})`,
  String.raw`:(?::${V6}){1,6}`,
  String.raw`${V6}?::`,
  String.raw`(?:0:){6}(?:${V6}\.){3}${V6}`,
  String.raw`::(?:ffff:)?(?:${V6}\.){3}${V6}`,
  String.raw`(?:0:){5}ffff:(?:${V6}\.){3}${V6}$`,
];
const IPV6 = new RegExp(`^(?:${IPV6_ALTERNATIVES.join('|')})`, 'iu');
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');

export interface HostAndPort {
  host: string;
  port?: number;
}

/** `[2001:db8::10]:2222` → host `2001:db8::10`, port 2222; `web[1:3]:2200` → `web[1:3]`, 2200. */
export function splitHostPort(pattern: string): HostAndPort {
  let address = pattern;
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(address);
    if (m) {
      address = m[1]!;
      port = Number(m[2]);
    }
  }
  const valid = IPV4.test(address) || IPV6.test(address) || HOSTNAME.test(address);
  if (!valid) return { host: pattern };
  return port === undefined ? { host: address } : { host: address, port };
}
