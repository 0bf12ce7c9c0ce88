// `npm run fuzz`: the differential injection fuzzer at length (vitest project `fuzz`, enabled by
// TASKER_FUZZ=1 so `npm test` never runs it). FUZZ_RUNS cases (default 100,000) from FUZZ_SEED
// (default: the time), after the deterministic cross product of contexts × hostile values; then
// FUZZ_REMOTE_RUNS cases (default 2,000) over a real sshd when one can be started (root).
import { expect, it } from 'vitest';
import { startSshd } from '../helpers/sshd.js';
import { crossProduct, fuzz, runBatch, type FuzzReport } from './harness.js';
import { fuzzRemote } from './remote.js';

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const remoteRuns = Number(process.env.FUZZ_REMOTE_RUNS ?? 2000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const started = Date.now();
const empty = (): FuzzReport => ({ cases: 0, refused: 0, executed: 0, shellRuns: 0, findings: [] });
const print = (label: string, r: FuzzReport): void =>
  console.log(
    `${label}: ${r.cases} cases, ${r.refused} refused by tasker, ${r.shellRuns} shell runs, ` +
      `${r.executed} executed, ${r.findings.length} findings (${Math.round((Date.now() - started) / 1000)} s)`,
  );

it(`no value runs as code or arrives changed (seed ${seed}, ${runs} cases)`, async () => {
  const cross = empty();
  runBatch(crossProduct(), cross);
  print('cross product', cross);
  const random = fuzz(runs, seed, 2000, (r) => print('  so far', r));
  print('random', random);
  const remote = empty();
  const sshd = remoteRuns > 0 ? await startSshd({ hosts: 1 }) : undefined;
  if (sshd) {
    try {
      await fuzzRemote(sshd, remoteRuns, seed, remote);
    } finally {
      await sshd.stop();
    }
    print('remote (ssh)', remote);
  } else if (remoteRuns > 0) console.log('remote (ssh): skipped, no sshd could be started');
  expect([...cross.findings, ...random.findings, ...remote.findings]).toEqual([]);
});
