import { afterAll, describe, expect, it } from 'vitest';
import { startSshd } from '../helpers/sshd.js';
import { CONTEXTS } from '../fuzz/contexts.js';
import { fuzz, renderCase, type FuzzReport } from '../fuzz/harness.js';
import { fuzzRemote } from '../fuzz/remote.js';

// A fixed-seed slice of the differential injection fuzzer (`npm run fuzz` runs it at length):
// hostile values in many script positions, rendered by tasker, run by dash, bash and bash --posix.
const SEED = 9_2026;

describe('differential injection fuzzer, CI slice', () => {
  it('no value runs as code and every accepted value arrives exactly (dash, bash, bash --posix)', () => {
    const report = fuzz(150, SEED);
    expect(report.findings).toEqual([]);
    expect(report.cases).toBe(150);
    // The property is not met by refusing everything: most cases run.
    expect(report.shellRuns).toBeGreaterThan(200);
  });

  it('accepts every position the docs promise, with a plain value', () => {
    const refused = CONTEXTS.filter(
      (c) => c.must && renderCase({ context: c, payload: 'v' }).kind !== 'script',
    );
    expect(refused.map((c) => c.name)).toEqual([]);
  });
});

const sshd = await startSshd({ hosts: 1 });
afterAll(async () => sshd?.stop());

describe.skipIf(!sshd)('differential injection fuzzer over a real sshd', () => {
  it('the remote command construction keeps every value exact and inert', async () => {
    const report: FuzzReport = { cases: 0, refused: 0, executed: 0, shellRuns: 0, findings: [] };
    await fuzzRemote(sshd!, 60, SEED, report);
    expect(report.findings).toEqual([]);
    expect(report.shellRuns).toBeGreaterThan(20);
  });
});
