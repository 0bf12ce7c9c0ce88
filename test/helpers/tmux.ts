import { execFileSync } from 'node:child_process';
import { cliPath, tempDir } from './cli.js';

/**
 * What a person sees in a real terminal: tmux runs the built CLI on a pty, capture-pane reads the
 * screen. Its own tmux server (-L), kept up by an idle session, so tests neither race its start nor
 * touch others'. Call `close()` in afterAll and `killSessions()` in afterEach.
 */
export function tmuxTerminal(tag: string) {
  const socket = `tasker-test-${tag}-${process.pid}`;
  const sessions: string[] = [];
  let made = 0;
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'keeper', 'sleep 3600');
  const screen = (s: string): string => tmux('capture-pane', '-p', '-t', s);

  async function until(
    s: string,
    pred: (text: string) => boolean,
    what: string,
    ms = 30_000,
  ): Promise<string> {
    const end = Date.now() + ms;
    let text = '';
    while (Date.now() < end) {
      text = screen(s);
      if (pred(text)) return text;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`screen never showed ${what}; it shows:\n${text}`);
  }

  /** `tasker run FILE ARGS` in a COLSxROWS pane; the pane stays after the run, showing `TASKER-EXIT=code`. */
  function startInTmux(
    file: string,
    env: Record<string, string> = {},
    cols = 100,
    args = '',
    rows = 40,
  ): string {
    const name = `${tag}-${made++}`;
    sessions.push(name);
    const vars = Object.entries({ NO_COLOR: '1', TERM: 'xterm-256color', TASKER_HOME: tempDir(), ...env })
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    const cmd = `env ${vars} ${process.execPath} ${cliPath} run ${file} ${args}; echo TASKER-EXIT=$?; sleep 600`;
    tmux('new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), cmd);
    return name;
  }

  return {
    tmux,
    screen,
    until,
    startInTmux,
    killSessions: () => {
      for (const s of sessions.splice(0)) tmux('kill-session', '-t', s);
    },
    close: () => void tmux('kill-server'),
  };
}
