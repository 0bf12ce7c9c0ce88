import {
  ExecError,
  type CopyOutcome,
  type CopyRequest,
  type ExecOutcome,
  type ExecRequest,
  type ExecSink,
  type Executor,
  type ExecutorSet,
} from '../../../src/exec/types.js';
import type { StepError } from '../../../src/model/result.js';

/** What one call does; a list scripts successive calls (the last repeats). */
export interface Script {
  exit?: number;
  stdout?: string[];
  stderr?: string[];
  /** Wait this long before exiting (real or fake timers); an abort ends the wait at once. */
  delayMs?: number;
  /** Run until aborted. */
  hang?: boolean;
  /** Reject with ExecError instead of running. */
  error?: { code: StepError['code']; message: string };
  /** Wait for this promise before exiting (lets a test control the end). */
  until?: Promise<void>;
  note?: string;
}

export interface Call {
  key: string;
  req: ExecRequest;
  host: string;
  /** Global order of starts and ends across all calls. */
  startSeq: number;
  endSeq?: number;
  status?: 'exited' | 'aborted' | 'error';
}

/** Keyed by command text (shell script, or argv joined by spaces). */
export type Scripts = Record<string, Script | Script[]>;

export class FakeExecutor implements Executor, ExecutorSet {
  readonly calls: Call[] = [];
  readonly copies: CopyRequest[] = [];
  running = 0;
  maxRunning = 0;
  /** Per host name (or 'local'). */
  readonly maxRunningByHost = new Map<string, number>();
  private readonly runningByHost = new Map<string, number>();
  private seq = 0;
  private readonly counts = new Map<string, number>();
  copyScript?: Script;
  copyOutcome?: CopyOutcome;
  withCopy = true;

  constructor(private readonly scripts: Scripts = {}) {}

  for(): Executor {
    return this.withCopy ? this : { exec: (r, s) => this.exec(r, s), close: () => this.close() };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  callsOf(key: string): Call[] {
    return this.calls.filter((c) => c.key === key);
  }

  async exec(req: ExecRequest, sink: ExecSink): Promise<ExecOutcome> {
    const key = req.command.kind === 'shell' ? req.command.script : req.command.argv.join(' ');
    const host = req.target.kind === 'ssh' ? req.target.name : 'local';
    const script = this.next(key);
    const call: Call = { key, req, host, startSeq: this.seq++ };
    this.calls.push(call);
    this.enter(host);
    try {
      if (script.error) {
        call.status = 'error';
        throw new ExecError(script.error.code, script.error.message);
      }
      for (const chunk of script.stdout ?? []) await sink.stdout(Buffer.from(chunk));
      for (const chunk of script.stderr ?? []) await sink.stderr(Buffer.from(chunk));
      const aborted = await waitFor(script, req.signal);
      call.status = aborted ? 'aborted' : 'exited';
      if (aborted) return { exitCode: null, signal: 'SIGTERM' };
      return { exitCode: script.exit ?? 0, signal: null, ...(script.note ? { note: script.note } : {}) };
    } finally {
      call.endSeq = this.seq++;
      this.leave(host);
    }
  }

  async copy(req: CopyRequest): Promise<CopyOutcome> {
    this.copies.push(req);
    const script = this.copyScript ?? {};
    if (script.error) throw new ExecError(script.error.code, script.error.message);
    await waitFor(script, req.signal);
    return this.copyOutcome ?? { changed: true, files: 1, bytes: 1 };
  }

  private next(key: string): Script {
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    const s = this.scripts[key];
    if (!Array.isArray(s)) return s ?? {};
    return s[Math.min(n, s.length - 1)] ?? {};
  }

  private enter(host: string): void {
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const h = (this.runningByHost.get(host) ?? 0) + 1;
    this.runningByHost.set(host, h);
    this.maxRunningByHost.set(host, Math.max(this.maxRunningByHost.get(host) ?? 0, h));
  }

  private leave(host: string): void {
    this.running -= 1;
    this.runningByHost.set(host, (this.runningByHost.get(host) ?? 1) - 1);
  }
}

/** Resolves true when the signal aborted the wait. */
function waitFor(script: Script, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  if (!script.hang && !script.delayMs && !script.until) return Promise.resolve(false);
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      if (timer) clearTimeout(timer);
      resolve(true);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      resolve(false);
    };
    if (script.delayMs) timer = setTimeout(done, script.delayMs);
    else if (script.until) void script.until.then(done);
  });
}
