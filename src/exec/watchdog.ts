import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Makes local steps die with tasker. Node has no PR_SET_PDEATHSIG, so each run gets one small
 * detached `sh` (own process group, INT/HUP/TERM/QUIT ignored, so a terminal's signals and a kill of
 * tasker's group do not reach it) that reads `+PGID GRACE_S` / `-PGID` lines from a pipe only tasker
 * holds. EOF without the closing `.` line means tasker is gone (kill -9, crash, OOM): it sends TERM to
 * every group still registered, waits the longest grace, then KILL.
 */
const SCRIPT = `trap '' INT HUP TERM QUIT
g=
while IFS=' ' read -r op p t; do
  case $op in
    +) g="$g $p:$t" ;;
    -) n=; for e in $g; do [ "\${e%%:*}" = "$p" ] || n="$n $e"; done; g=$n ;;
    .) exit 0 ;;
  esac
done
[ -n "$g" ] || exit 0
m=0
for e in $g; do kill -s TERM -- "-\${e%%:*}" 2>/dev/null; t=\${e#*:}; [ "$t" -gt "$m" ] && m=$t; done
sleep "$m"
for e in $g; do kill -s KILL -- "-\${e%%:*}" 2>/dev/null; done
`;

export interface Watchdog {
  /** Registers a step's process group; `graceMs` is its TERM-to-KILL grace. */
  add(pgid: number, graceMs: number): void;
  remove(pgid: number): void;
  /** Tells the watchdog tasker is ending on purpose, so it exits without killing anything. */
  close(): void;
}

const noWatchdog: Watchdog = { add: () => undefined, remove: () => undefined, close: () => undefined };

/** Started lazily by the local executor on its first command; a failure to start leaves steps unguarded. */
export function startWatchdog(): Watchdog {
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', SCRIPT, `tasker-watchdog:${process.pid}`], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  } catch {
    return noWatchdog;
  }
  child.on('error', () => undefined);
  child.unref();
  const input = child.stdin;
  if (input === null) return noWatchdog;
  input.on('error', () => undefined);
  // The pipe must not keep tasker's event loop alive; it only has to close when tasker dies.
  (input as unknown as { unref?: () => void }).unref?.();
  let open = true;
  // Removals ride on the next write (the next step's `+`, in a sequential run) or go at the next
  // turn of the event loop: one pipe write and one wake-up of the shell per step instead of two.
  let removals = '';
  let flush: NodeJS.Immediate | undefined;
  const send = (line: string): void => {
    if (flush !== undefined) clearImmediate(flush);
    flush = undefined;
    const text = removals + line;
    removals = '';
    if (open && !input.destroyed && text !== '') input.write(text);
  };
  return {
    add: (pgid, graceMs) => send(`+ ${pgid} ${Math.max(1, Math.ceil(graceMs / 1000))}\n`),
    remove: (pgid) => {
      removals += `- ${pgid}\n`;
      flush ??= setImmediate(() => send(''));
      flush.unref();
    },
    close: () => {
      if (!open) return;
      send('.\n');
      open = false;
      input.end();
    },
  };
}
