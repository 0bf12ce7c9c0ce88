/** S10: the host names a `hostnames=` block may list. */
const IPV4_LIKE = /^(\d+\.){3}\d+$/;
const OCTET = /^(0|[1-9]\d{0,2})$/;
const LABEL = '[a-zA-Z0-9]([a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?';
const NAME = new RegExp(`^(${LABEL}\\.)*${LABEL}$`);

/** An IPv4-looking host must be a valid address (0-255, no leading zeros); any other an RFC 1123 name. */
function isValidHost(host: string): boolean {
  if (IPV4_LIKE.test(host)) return host.split('.').every((o) => OCTET.test(o) && Number(o) <= 255);
  return host.length <= 253 && NAME.test(host);
}

export function invalidHosts(hosts: readonly string[]): string[] {
  return hosts.filter((h) => !isValidHost(h));
}
