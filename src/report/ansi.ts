// CSI and OSC escape sequences as commands print them (colours, cursor moves, hyperlinks).
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Removes terminal escape sequences so a log or report holds only text. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}
