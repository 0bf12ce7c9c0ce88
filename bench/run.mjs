// `npm run bench`: runs every benchmark and prints a markdown table of ratios measured in this run.
import { benchLocal } from './local.mjs';
import { benchValidate } from './validate.mjs';

const rows = [];
const report = (name, r) => {
  rows.push({ name, ...r });
  console.error(`done: ${name}: ${r.tasker} vs ${r.baseline} (${r.ratio})`);
};
const only = process.argv[2];
if (!only || only === 'validate') benchValidate(report);
if (!only || only === 'local') await benchLocal(report);
if (!only || only === 'ssh') {
  try {
    const { benchSsh } = await import('./ssh.mjs');
    await benchSsh(report);
  } catch (err) {
    console.error(`ssh benchmarks skipped: ${err.message}`);
  }
}
console.log('| benchmark | tasker | baseline | ratio | note |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.tasker} | ${r.baseline} | ${r.ratio} | ${r.note ?? ''} |`);
