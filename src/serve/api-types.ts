/**
 * The JSON the API answers with: shared by the server and the page. Only type imports, from the
 * model's JSON codec, so the page (which bundles no server code) and report.json agree by type.
 */
import type { PlanOutline } from '../model/plan-outline.js';
import type { AttemptJson, StepJson } from '../model/result-json.js';

export type { OutlineNode, PlanOutline } from '../model/plan-outline.js';

/** A run as `tasker history --json` prints it. */
export interface RunView {
  id: string;
  workflow: string;
  file: string;
  status: string;
  exitCode: number | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  host: string;
  pid: number;
  runDir: string;
  failedStep: string | null;
  /** The failed step as the user calls it (its name, id or place), never an internal path. */
  failedLabel: string | null;
  error: string | null;
  resumedFrom: string | null;
  alert: string | null;
}

/**
 * One step instance: exactly a step of report.json and `show --json` (the model's codec), plus its
 * history row number `seq`, which the output URLs take as `:step`. `status` is `running` while it runs.
 */
export type StepView = StepJson & { seq: number };

/** One execution of a step (a retry or a loop iteration); `?attempt=N` is its 1-based place in `attempts`. */
export type AttemptView = AttemptJson;

/** `GET /api/runs`: one page, newest first; `next` is the `before` of the following page. */
export interface RunList {
  runs: RunView[];
  total: number;
  next: string | null;
}

/** `GET /api/runs/:id` and the `snapshot` event; hosts in fan-out order. */
export interface RunDetail {
  run: RunView;
  steps: StepView[];
  hosts: string[];
}

export type Stream = 'stdout' | 'stderr';

/** `GET …/output`: bytes [offset, end) of the file, decoded; `size` when read (grows while running). */
export interface OutputPage {
  stream: Stream;
  size: number;
  offset: number;
  end: number;
  text: string;
  /** The step wrote no such file (skipped, not started, or output not kept). */
  missing?: boolean;
  /** Read from the history's copy (PostgreSQL): the run's files, with every byte, are on this host. */
  copyFrom?: string;
}

export interface SearchMatch {
  /** Byte offset of the line's start: where a page that shows it begins. */
  offset: number;
  /** 1-based line number. */
  line: number;
  /** The line without terminal escapes, cut to 400 characters. */
  text: string;
}

/** `GET …/output/search`; `truncated` when more lines matched than were returned. */
export interface SearchResult {
  matches: SearchMatch[];
  truncated: boolean;
}

/** `GET /api/runs/:id/plan`: the plan's outline as the run recorded it (model/plan-outline.ts). */
export interface PlanView {
  plan: PlanOutline;
}
