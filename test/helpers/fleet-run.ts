import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestSshd } from './sshd.js';

/** Hosts whose command fails (exit 3, a line on stderr), and hosts on a closed port (unreachable). */
export const FAILING_HOSTS = ['web013', 'web137', 'web250', 'web311', 'web404', 'web466', 'web499'];
export const DEAD_HOSTS = ['web100', 'web200', 'web300'];

const fleetHost = (i: number): string => `web${String(i + 1).padStart(3, '0')}`;

/**
 * A workflow with a `count`-host fan-out over the real sshd: inventory names spread over its loopback
 * addresses (one SSH connection per address carries many hosts' commands), DEAD_HOSTS on a closed
 * port, FAILING_HOSTS exiting 3. A real run of it is a realistic large fleet for a 2-core machine.
 */
export function fleetWorkflow(dir: string, sshd: TestSshd, closedPort: number, count = 500): string {
  const hosts = Array.from({ length: count }, (_, i) => {
    const name = fleetHost(i);
    const dead = DEAD_HOSTS.includes(name);
    const address = dead ? '127.0.0.1' : sshd.addresses[i % sshd.addresses.length]!;
    const port = dead ? closedPort : sshd.port;
    return `  ${name}: { address: ${address}, port: ${port}, user: ${sshd.user}, key: ${sshd.keyFile} }`;
  });
  const file = join(dir, 'fleet.yaml');
  writeFileSync(
    file,
    `version: 1
name: fleet
hosts:
${hosts.join('\n')}
groups:
  all_web: [${Array.from({ length: count }, (_, i) => fleetHost(i)).join(', ')}]
defaults:
  connect_timeout: 5s
steps:
  - id: prepare
    run: echo preparing
  - id: rollout
    hosts: all_web
    env: { NAME: "\${{ host.name }}" }
    run: |
      case "$NAME" in ${FAILING_HOSTS.join('|')}) echo "disk full on /var ($NAME)" >&2; exit 3;; esac
      echo "deployed on $NAME"
    continue_on_error: true
  - id: report
    run: echo done
`,
  );
  return file;
}
