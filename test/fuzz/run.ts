// `npm run fuzz`: the differential injection fuzzer at length. FUZZ_RUNS cases (default 100,000)
// from FUZZ_SEED (default: the time), after the deterministic cross product of contexts × hostile values.
import { crossProduct, fuzz, runBatch, type FuzzReport } from './harness.js';

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const started = Date.now();
const print = (label: string, r: FuzzReport): void =>
  console.log(
    `${label}: ${r.cases} cases, ${r.refused} refused by tasker, ${r.shellRuns} shell runs, ` +
      `${r.executed} executed, ${r.findings.length} findings (${Math.round((Date.now() - started) / 1000)} s)`,
  );

const cross: FuzzReport = { cases: 0, refused: 0, executed: 0, shellRuns: 0, findings: [] };
runBatch(crossProduct(), cross);
print('cross product', cross);
console.log(`random cases: seed ${seed}, runs ${runs}`);
const random = fuzz(runs, seed, 2000, (r) => print('  so far', r));
print('random', random);
const findings = [...cross.findings, ...random.findings];
for (const f of findings.slice(0, 50)) console.log(JSON.stringify(f));
process.exitCode = findings.length === 0 ? 0 : 1;
