// `npm run bench [local|steps|validate|history|store|serve|limit|signals|spawn|ssh|fleet]` (steps and fleet only when named): runs the benchmarks and prints a markdown table of
// ratios measured in this run, wall time and (where measured) CPU time, with the load average.
import { load } from './lib.mjs';
import { benchHistory } from './history.mjs';
import { benchLimit } from './limit.mjs';
import { benchSignals } from './signals.mjs';
import { benchLocal, benchSequential } from './local.mjs';
import { benchValidate } from './validate.mjs';
import { benchServe } from './serve.mjs';
import { benchSpawn } from './spawn.mjs';
import { benchStore } from './store.mjs';

const rows = [];
const tables = [];
const report = (name, r) => {
  rows.push({ name, ...r });
  console.error(`done: ${name}: ${r.tasker} vs ${r.baseline} (${r.ratio})`);
};
const only = process.argv[2];
const loadBefore = load();
if (!only || only === 'validate') benchValidate(report);
if (!only || only === 'local') await benchLocal(report);
// Only the per-step rows of `local` (1,000 sequential steps, YAML and TASKER-style, the floors).
if (only === 'steps') benchSequential(report);
if (!only || only === 'history') await benchHistory(report);
if (!only || only === 'store') await benchStore(report);
if (!only || only === 'serve') await benchServe(report);
if (!only || only === 'limit') await benchLimit(report);
if (!only || only === 'spawn') await benchSpawn(report);
if (!only || only === 'signals') await benchSignals(report);
if (!only || only === 'ssh') {
  try {
    const { benchSsh } = await import('./ssh.mjs');
    await benchSsh(report);
  } catch (err) {
    console.error(`ssh benchmarks skipped: ${err.message}`);
  }
}
if (only === 'fleet') {
  // Not in the default set: it starts 16 sshd processes and runs Ansible on 256 hosts (minutes).
  const { benchFleet } = await import('./fleet.mjs');
  tables.push(await benchFleet(report));
}
console.log(`load average (1 min): ${loadBefore} before, ${load()} after; node ${process.version}\n`);
console.log(
  '| benchmark | tasker (wall) | baseline (wall) | ratio (wall) | CPU tasker vs baseline | ratio (CPU) | note |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.tasker} | ${r.baseline} | ${r.ratio} | ${r.cpu ?? ''} | ${r.cpuRatio ?? ''} | ${r.note ?? ''} |`,
  );
for (const t of tables) console.log(['', ...t].join('\n'));
