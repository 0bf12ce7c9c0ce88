// A fan-out's queued steps and their cancel signal, in process: N tasks queued at once on 8 slots,
// each linking its own signal to ONE shared parent (the fan-out's scope signal) as run/slot.ts does,
// taking a slot, awaiting a body and disposing its link. The baseline is one abort listener per
// child on the parent, the way run/signals.ts linked them before (Node's EventTarget walks every
// listener on add, so that is quadratic in the queue length).
import { getEventListeners, setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { median, root } from './lib.mjs';

const SIZES = (process.env.BENCH_SIGNAL_TASKS ?? '1000,10000,30000').split(',').map(Number);
const SLOTS = 8;
const ROUNDS = 3;

/** The former linkedSignal, reduced to what this measures: one listener per child on each parent. */
function perChildLink(parents) {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const detach = [];
  for (const parent of parents) {
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    detach.push(() => parent.removeEventListener('abort', onAbort));
  }
  return { signal: controller.signal, dispose: () => detach.forEach((d) => d()) };
}

async function fanOut(link, createLimit, tasks) {
  const parent = new AbortController();
  setMaxListeners(0, parent.signal);
  const limit = createLimit(SLOTS);
  let peak = 0;
  const one = async () => {
    const step = link([parent.signal]);
    try {
      const release = await limit.acquire(step.signal);
      peak = Math.max(peak, getEventListeners(parent.signal, 'abort').length);
      await Promise.resolve();
      release?.();
    } finally {
      step.dispose();
    }
  };
  await Promise.all(Array.from({ length: tasks }, one));
  return { peak, left: getEventListeners(parent.signal, 'abort').length };
}

async function time(fn) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const out = await fn();
  const c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: (c.user + c.system) / 1000, ...out };
}

export async function benchSignals(report) {
  const { linkedSignal } = await import(join(root, 'dist/src/run/signals.js'));
  const { createLimit } = await import(join(root, 'dist/src/run/limit.js'));
  for (const tasks of SIZES) {
    const ours = [];
    const theirs = [];
    for (let i = 0; i < ROUNDS; i++) {
      ours.push(await time(() => fanOut(linkedSignal, createLimit, tasks)));
      theirs.push(await time(() => fanOut(perChildLink, createLimit, tasks)));
    }
    const wall = [median(ours.map((r) => r.wall)), median(theirs.map((r) => r.wall))];
    const cpu = [median(ours.map((r) => r.cpu)), median(theirs.map((r) => r.cpu))];
    const perTask = (ms) => `${((ms * 1000) / tasks).toFixed(2)} µs/task`;
    const [a, b] = [ours[0], theirs[0]];
    report(`fan-out cancel links: run/signals.ts (${tasks.toLocaleString('en')} queued, ${SLOTS} slots)`, {
      tasker: perTask(wall[0]),
      baseline: perTask(wall[1]),
      ratio: (wall[0] / wall[1]).toFixed(2),
      cpu: `${perTask(cpu[0])} vs ${perTask(cpu[1])}`,
      cpuRatio: (cpu[0] / cpu[1]).toFixed(2),
      note: `abort listeners on the parent: peak ${a.peak} vs ${b.peak}, after ${a.left} vs ${b.left}; baseline = one per queued step`,
    });
  }
}
