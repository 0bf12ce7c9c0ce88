import type { PlanOutline } from '../model/plan-outline.js';
import type { RunResult, StepResult } from '../model/result.js';
import type { NewRun, RunFilter, RunLookup, RunRecord, StepRecord } from './records.js';
import type { RunLeases } from './leases.js';
import type { SlotClaims } from './slot-claims.js';

/** A step that started, as the recorder writes it before it ends (its `running` row). */
export interface StepStart {
  runId: string;
  stepId: string;
  host?: string;
  name: string;
  kind: string;
  command: string;
  startedAt: number;
}

/**
 * One recorded event of a run, as data: a batch of them is written in order in one transaction.
 * `key` ties a step's end to its start (`id` + host); the writer keeps which row each key opened.
 */
export type HistoryWrite =
  | { kind: 'step-start'; key: string; start: StepStart }
  | { kind: 'step-end'; key: string; result: StepResult }
  | { kind: 'run-end'; result: RunResult };

/** Writes one run's events; a batch that fails is not applied at all and may be written again. */
export interface RunWriter {
  write(batch: readonly HistoryWrite[]): Promise<void>;
}

/** A step's output kept in the store (PostgreSQL): readable on a box that does not have the run's files. */
export interface StoredOutput {
  /** The kept bytes as a reader shows them: a marker line where bytes were left out. */
  data: Buffer;
  /** Bytes of the original output left out between head and tail (0: it is all here). */
  omitted: number;
  /** The kept spans as stored, without markers: what a capture replays (output/capture.ts). */
  spans: readonly StoredSpan[];
}

interface StoredSpan {
  /** Bytes of the original left out just before this span. */
  omittedBefore: number;
  data: Buffer;
}

/**
 * The run history, whichever database holds it: the SQLite file of a state home (sqlite-store.ts)
 * or PostgreSQL (pg/pg-store.ts). Every method is asynchronous because PostgreSQL is; rows are
 * decoded by the same checked readers (records.ts, step-row.ts) in both.
 */
export interface HistoryStore {
  readonly kind: 'sqlite' | 'postgres';
  /** What messages name: the SQLite file, or the PostgreSQL URL without its password. */
  readonly label: string;
  /** Whether `err` from a write says the database is unavailable for now (a retry may succeed). */
  isTransient(err: unknown): boolean;
  /** `err` as one line naming this store and the fix (never a password). */
  describe(err: unknown, action: 'read' | 'write'): Error;

  beginRun(run: NewRun): Promise<void>;
  runWriter(runId: string): RunWriter;
  setAlert(runId: string, alert: string): Promise<void>;
  /** Marks `running` runs of this host whose process is gone as interrupted; returns their ids. */
  sweepInterrupted(host: string, now?: number): Promise<string[]>;

  /** Newest first; `before` continues a page after its last run (keyset: cheap at any depth). */
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
  /** How many runs match (ignores `before` and `limit`). */
  countRuns(filter?: RunFilter): Promise<number>;
  /** A number that changes whenever anyone commits to the history: what a watcher polls. */
  changeMark(): Promise<number>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** The run's plan outline; undefined for a run recorded before outlines were kept. */
  planOf(id: string): Promise<PlanOutline | undefined>;
  /** `last`, a whole id, or a unique id prefix. */
  findRun(ref: string): Promise<RunLookup>;
  /** The newest finished run of this file and vars: what `--resume` continues. */
  lastFinished(file: string, varsHash: string): Promise<RunRecord | undefined>;
  /** The run's step instances in the order they were recorded, each with its attempts. */
  stepsOf(runId: string): Promise<StepRecord[]>;
  getStep(runId: string, seq: number): Promise<StepRecord | undefined>;
  /** The copy of a step's output the store keeps, if it keeps one (PostgreSQL does; SQLite has the files). */
  stepOutput(seq: number, stream: 'stdout' | 'stderr'): Promise<StoredOutput | undefined>;

  /** Finished runs past the retention: beyond the newest `keep`, or started before `before`. */
  runsToPrune(policy: { keep?: number; before?: number }): Promise<RunRecord[]>;
  deleteRuns(ids: readonly string[]): Promise<void>;
  /** `--once-per`: the schedule-slot claims kept in this store. */
  slotClaims(): SlotClaims;
  /** Overlap locks kept in this store as leases (PostgreSQL, shared by every box), or undefined: the state home's lock files. */
  runLeases(): RunLeases | undefined;
  close(): Promise<void>;
}
