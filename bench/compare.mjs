// A/B two builds on one command line, alternating runs so load changes hit both alike:
//   node bench/compare.mjs [--runs N] <main.js A> <main.js B> -- run --output plain x.yaml
// Prints the median wall and CPU time (user+sys, children included) of each.
import { compareAlternating, fmt, fmtCpu, load } from './lib.mjs';

const args = process.argv.slice(2);
let runs = 7;
if (args[0] === '--runs') {
  runs = Number(args[1]);
  args.splice(0, 2);
}
const sep = args.indexOf('--');
if (sep < 1) {
  console.error('usage: node bench/compare.mjs [--runs N] <cli A> [<cli B> …] -- <tasker args>');
  process.exit(2);
}
const clis = args.slice(0, sep);
const rest = args.slice(sep + 1);
const loadBefore = load();
const results = compareAlternating(
  clis.map((c) => ({ name: c, argv: ['node', c, ...rest] })),
  { runs, okCodes: [0, 1] },
);
console.log(`load ${loadBefore} → ${load()}, ${runs} runs each`);
for (const r of results)
  console.log(`${fmt(r.wall).padStart(10)} wall ${fmtCpu(r.cpu).padStart(10)} CPU  ${r.name}`);
