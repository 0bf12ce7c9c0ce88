import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/model/events.js';
import { createPrettyReporter } from '../../../src/report/pretty.js';
import { terminalSafe } from '../../../src/report/terminal-safe.js';
import { T0, emit, sink } from './builders.js';

const ESC = '\u001b';

describe('terminalSafe: colours kept, every other escape dropped', () => {
  it.each([
    [
      'SGR colours',
      `${ESC}[1;31mred${ESC}[0m ${ESC}[38;2;1;2;3mrgb${ESC}[m`,
      `${ESC}[1;31mred${ESC}[0m ${ESC}[38;2;1;2;3mrgb${ESC}[m`,
    ],
    ['cursor moves and clears', `a${ESC}[2J${ESC}[H${ESC}[10;5Hb${ESC}[1Ac${ESC}[K`, 'abc'],
    ['window title (OSC, BEL)', `x${ESC}]0;pwned${'\u0007'}y`, 'xy'],
    [
      'hyperlink and clipboard (OSC, ST)',
      `${ESC}]8;;http://evil${ESC}\\link${ESC}]8;;${ESC}\\ ${ESC}]52;c;ZXZpbA==${'\u0007'}`,
      'link ',
    ],
    ['an OSC never terminated', `ok${ESC}]2;title to the end`, 'ok'],
    [
      'DCS, APC, PM, SOS strings',
      `${ESC}Pq#0${ESC}\\a${ESC}_x${ESC}\\b${ESC}^y${ESC}\\c${ESC}Xz${ESC}\\`,
      'abc',
    ],
    ['two-character escapes (reset, charset, keypad)', `${ESC}c${ESC}(0${ESC}=${ESC}7x${ESC}8`, 'x'],
    ['C1 CSI and other C1 controls', `a\u009b2Jb\u0085c\u009d0;t\u0007`, 'a2Jbc0;t'],
    ['carriage return, backspace, bell, lone ESC', `fake\rreal\b\u0007${ESC}`, 'fakereal'],
    ['tabs and plain text', 'a\tb ü €', 'a\tb ü €'],
  ])('%s', (_what, input, expected) => {
    expect(terminalSafe(input, true)).toBe(expected);
  });

  it('without colour, SGR goes too', () => {
    expect(terminalSafe(`${ESC}[31mred${ESC}[0m`, false)).toBe('red');
  });

  it('the pretty reporter passes no escape of step output to the terminal except colours', () => {
    const s = sink();
    const line = `${ESC}[32mok${ESC}[0m${ESC}]0;owned${'\u0007'}${ESC}[2J${ESC}[1A`;
    const event: RunEvent = { kind: 'step-output', id: 'a', stream: 'stdout', line, at: T0 };
    emit(createPrettyReporter({ out: s.out, color: true }), [event]);
    const text = s.lines().join('\n');
    expect(text).toContain(`${ESC}[32mok${ESC}[0m`);
    for (const bad of [`${ESC}]`, `${ESC}[2J`, `${ESC}[1A`, '\u0007']) expect(text).not.toContain(bad);
  });
});
