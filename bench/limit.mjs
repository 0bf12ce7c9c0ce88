// The per-step concurrency slot: run/limit.ts (what the runner uses) against p-limit doing the same
// job, in process. Each task takes a slot, awaits a body (one resolved promise, as a finished
// command's bookkeeping does), and lets the slot go; 8 slots, 100,000 tasks queued at once, which
// is the worst case for the queue (run --concurrency 8 over a huge fan-out).
import pLimit from 'p-limit';
import { join } from 'node:path';
import { median, root } from './lib.mjs';

const TASKS = Number(process.env.BENCH_LIMIT_TASKS ?? 100_000);
const SLOTS = 8;
const ROUNDS = 7;

const body = () => Promise.resolve();

async function withRunLimit(createLimit) {
  const limit = createLimit(SLOTS);
  // Each attempt waits under its own signal (run/slot.ts links one per attempt).
  const one = async () => {
    const release = await limit.acquire(new AbortController().signal);
    try {
      await body();
    } finally {
      release();
    }
  };
  await Promise.all(Array.from({ length: TASKS }, one));
}

/** p-limit as the runner would have to use it: a slot held across a body, given up on abort. */
function acquireVia(limit, signal) {
  return new Promise((resolve) => {
    let settled = false;
    const onAbort = () => {
      settled = true;
      resolve(undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void limit(
      () =>
        new Promise((release) => {
          signal.removeEventListener('abort', onAbort);
          // Aborted while queued: the turn still comes (p-limit cannot drop one task); pass it on.
          if (settled) return release();
          settled = true;
          resolve(release);
        }),
    );
  });
}

async function withPLimit() {
  const limit = pLimit(SLOTS);
  const one = async () => {
    const release = await acquireVia(limit, new AbortController().signal);
    try {
      await body();
    } finally {
      release();
    }
  };
  await Promise.all(Array.from({ length: TASKS }, one));
}

async function time(fn) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: (c.user + c.system) / 1000 };
}

export async function benchLimit(report) {
  const { createLimit } = await import(join(root, 'dist/src/run/limit.js'));
  const ours = [];
  const theirs = [];
  // Round-robin so load changes hit both alike; one warm-up each.
  await withRunLimit(createLimit);
  await withPLimit();
  for (let i = 0; i < ROUNDS; i++) {
    ours.push(await time(() => withRunLimit(createLimit)));
    theirs.push(await time(withPLimit));
  }
  const wall = [median(ours.map((r) => r.wall)), median(theirs.map((r) => r.wall))];
  const cpu = [median(ours.map((r) => r.cpu)), median(theirs.map((r) => r.cpu))];
  const perTask = (ms) => `${((ms * 1000) / TASKS).toFixed(2)} µs/task`;
  report(`concurrency slot: run/limit.ts vs p-limit (${TASKS.toLocaleString('en')} tasks, ${SLOTS} slots)`, {
    tasker: perTask(wall[0]),
    baseline: perTask(wall[1]),
    ratio: (wall[0] / wall[1]).toFixed(2),
    cpu: `${perTask(cpu[0])} vs ${perTask(cpu[1])}`,
    cpuRatio: (cpu[0] / cpu[1]).toFixed(2),
    note: 'in process; baseline = p-limit holding the slot across the body, abortable',
  });
}
