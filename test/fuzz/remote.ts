import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createSshExecutor } from '../../src/exec/ssh/index.js';
import { collectSink, execRequest } from '../helpers/exec.js';
import { sshdTarget, type TestSshd } from '../helpers/sshd.js';
import { caseArb, judgeRun, renderCase, type FuzzReport } from './harness.js';

/**
 * The remote path: the rendered script goes through the SSH executor's own command construction
 * (`sh -c '…'` inside the login shell's command line) to a real sshd. Each case runs in its own
 * directory; a file other than `out` means a value ran as code.
 */
export async function fuzzRemote(
  sshd: TestSshd,
  runs: number,
  seed: number,
  report: FuzzReport,
): Promise<void> {
  const exec = createSshExecutor({
    knownHostsFiles: [sshd.knownHostsFile],
    sshConfigFile: null,
    agentSocket: null,
  });
  const root = mkdtempSync('/var/tmp/tasker-fuzz-remote-');
  chmodSync(root, 0o777);
  try {
    for (const [i, c] of fc.sample(caseArb, { numRuns: runs, seed }).entries()) {
      report.cases++;
      const r = renderCase(c);
      if (r.kind !== 'script') {
        report.refused++;
        continue;
      }
      const dir = join(root, String(i));
      mkdirSync(dir);
      chmodSync(dir, 0o777);
      const { sink } = collectSink();
      await exec.exec(execRequest(sshdTarget(sshd), r.script, { cwd: dir }), sink);
      judgeRun(c, r.script, 'ssh', dir, report);
    }
  } finally {
    await exec.close();
    rmSync(root, { recursive: true, force: true });
  }
}
