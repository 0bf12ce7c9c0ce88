import { cpSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/cli.js';
import { startSshd } from '../helpers/sshd.js';
import {
  fleetGroup,
  hostName,
  hostsBlock,
  instances,
  runWithReport,
  sharedDir,
  writeWorkflow,
} from './fanout-helpers.js';

const sshd = await startSshd({ hosts: 3 });
afterAll(async () => sshd?.stop());

const OLD = new Date('2001-01-01T00:00:00Z');
const FILES = ['app.conf', 'bin/run.sh'];

describe.skipIf(!sshd)('copy fanned out over a real sshd through the CLI', () => {
  const src = join(tempDir('tasker-copy-src-'), 'app');
  cpSync(join(repoRoot, 'fixtures/ssh/copy-src'), src, { recursive: true });
  const remote = sharedDir('tasker-copy-dest-');
  const wf = writeWorkflow(
    `version: 1\n${hostsBlock(sshd!)}${fleetGroup(3)}steps:\n  - id: ship\n    hosts: fleet\n    copy: { src: ${src}, dest: "${remote}/\${{ host.name }}/app/", mode: "0640" }\n`,
  );
  const dests = (f: string) => [0, 1, 2].map((i) => join(remote, hostName(i), 'app', f));

  async function run() {
    const r = await runWithReport(wf, sshd!.knownHostsFile);
    expect(r.code, r.stderr).toBe(0);
    const ship = instances(r.report, 'ship');
    expect([...ship.values()].map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
    return [...ship.values()].map((s) => s.changed);
  }

  it('uploads the tree to every host with the mode applied', async () => {
    expect(await run()).toEqual([true, true, true]);
    for (const f of FILES)
      for (const d of dests(f)) {
        expect(readFileSync(d, 'utf8')).toBe(readFileSync(join(src, f), 'utf8'));
        expect(statSync(d).mode & 0o777).toBe(0o640);
      }
  });

  it('does not rewrite files whose size and checksum already match', async () => {
    for (const f of FILES) for (const d of dests(f)) utimesSync(d, OLD, OLD);
    expect(await run()).toEqual([false, false, false]);
    for (const f of FILES) for (const d of dests(f)) expect(statSync(d).mtime).toEqual(OLD);
  });

  it('rewrites only the file that changed', async () => {
    writeFileSync(join(src, 'app.conf'), 'listen = 9090\n');
    expect(await run()).toEqual([true, true, true]);
    for (const d of dests('app.conf')) {
      expect(readFileSync(d, 'utf8')).toBe('listen = 9090\n');
      expect(statSync(d).mtime).not.toEqual(OLD);
    }
    for (const d of dests('bin/run.sh')) expect(statSync(d).mtime).toEqual(OLD);
  });
});
