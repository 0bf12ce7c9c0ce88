/* eslint-disable no-control-regex */
// Escape sequences and control characters a command (or a remote host) may print: CSI (colours,
// cursor moves, screen clears), OSC (titles, hyperlinks, clipboard writes), DCS/SOS/PM/APC strings,
// two-character escapes, and C0/C1 controls other than tab.
const CONTROL =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\|$)|\u001b[PX^_][^\u001b]*(?:\u001b\\|$)|\u001b[ -/]*[0-~]|[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
const SGR = /^\u001b\[[0-9;:]*m$/;

/**
 * Output for the operator's terminal: colours (SGR) are kept when `colour` is on, everything else
 * that could move the cursor, clear the screen, retitle the window, write the clipboard or hide text
 * is dropped, so a hostile or broken program cannot rewrite what the operator sees.
 */
export function terminalSafe(text: string, colour: boolean): string {
  return text.replace(CONTROL, (seq) => (colour && SGR.test(seq) ? seq : ''));
}
