import type SSHConfig from 'ssh-config';
import type { Target } from '../../model/plan.js';
import type { StepError } from '../../model/result.js';
import {
  ExecError,
  type CopyOutcome,
  type CopyRequest,
  type ExecOutcome,
  type ExecRequest,
  type ExecSink,
  type Executor,
} from '../types.js';
import { loadSshConfig, resolveHost, type HostSpec } from './config.js';
import { copyToRemote } from './copy.js';
import { runCommand } from './exec.js';
import { resolveSettings, type SshOptions } from './options.js';
import { ConnectionPool, type Conn } from './pool.js';
import { runSideCommand } from './remote-kill.js';

export type PingResult =
  | { kind: 'ok'; ms: number; address: string; user: string }
  | { kind: 'error'; code: StepError['code']; message: string };

export interface SshExecutor extends Executor {
  ping(target: Target): Promise<PingResult>;
  copy(req: CopyRequest): Promise<CopyOutcome>;
}

function asExecError(err: unknown): ExecError {
  return err instanceof ExecError
    ? err
    : new ExecError('internal', `ssh executor failed: ${String(err)}`, { cause: err });
}

/** Resolves with undefined if `signal` aborts first; the connection attempt itself carries on for the pool. */
function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createSshExecutor(options: SshOptions = {}): SshExecutor {
  const settings = resolveSettings(options);
  const pool = new ConnectionPool(settings);
  const background = new Set<Promise<unknown>>();
  let config: { value: SSHConfig | undefined } | undefined;

  const spec = (target: Target): HostSpec => {
    if (target.kind !== 'ssh')
      throw new ExecError(
        'internal',
        'the ssh executor was given a local target; route local targets to the local executor',
      );
    config ??= { value: loadSshConfig(settings.sshConfigFile) };
    return resolveHost(target, settings, config.value);
  };
  const connect = async (target: Target, signal?: AbortSignal): Promise<Conn | undefined> => {
    const h = spec(target);
    return signal ? unlessAborted(pool.get(h), signal) : pool.get(h);
  };
  const track = (p: Promise<unknown>): void => {
    const settled = p.catch(() => undefined).finally(() => background.delete(settled));
    background.add(settled);
  };

  return {
    async exec(req: ExecRequest, sink: ExecSink): Promise<ExecOutcome> {
      const conn = await connect(req.target, req.signal);
      if (!conn)
        return {
          exitCode: null,
          signal: null,
          note: `cancelled while connecting to ${spec(req.target).label}`,
        };
      return runCommand(conn, req, sink, { pool, background: track });
    },
    async copy(req: CopyRequest): Promise<CopyOutcome> {
      const conn = await connect(req.target, req.signal);
      if (!conn)
        throw new ExecError('copy', `copy to ${spec(req.target).label} was cancelled while connecting`);
      return copyToRemote(conn, req);
    },
    async ping(target: Target): Promise<PingResult> {
      const started = performance.now();
      try {
        const h = spec(target);
        const conn = (await connect(target))!;
        if (!(await runSideCommand(conn, 'true', h.connectTimeoutMs))) {
          return {
            kind: 'error',
            code: 'spawn',
            message: `${h.label} accepted the login but could not run \`true\`; check the account's shell`,
          };
        }
        return { kind: 'ok', ms: Math.round(performance.now() - started), address: h.address, user: h.user };
      } catch (err) {
        const e = asExecError(err);
        return { kind: 'error', code: e.code, message: e.message };
      }
    },
    async close(): Promise<void> {
      await Promise.all([...background]);
      await pool.closeAll();
    },
  };
}
