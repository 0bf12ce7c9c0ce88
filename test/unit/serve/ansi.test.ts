import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paletteRgb, parseAnsi, plainText } from '../../../src/serve/page/ansi.js';

describe('parseAnsi', () => {
  it('turns SGR colours and attributes into styles and resets them', () => {
    const { segments } = parseAnsi('\x1b[31mred\x1b[0m \x1b[1;32mbold green\x1b[39m still bold\x1b[m plain');
    expect(segments).toEqual([
      { text: 'red', style: { fg: { kind: 'index', n: 1 } } },
      { text: ' ', style: {} },
      { text: 'bold green', style: { bold: true, fg: { kind: 'index', n: 2 } } },
      { text: ' still bold', style: { bold: true } },
      { text: ' plain', style: {} },
    ]);
  });

  it('reads 256-colour and true-colour forms, bright colours and backgrounds', () => {
    const { segments } = parseAnsi('\x1b[38;5;208ma\x1b[48;2;1;2;3mb\x1b[0;94;101mc');
    expect(segments.map((s) => s.style)).toEqual([
      { fg: { kind: 'index', n: 208 } },
      { fg: { kind: 'index', n: 208 }, bg: { kind: 'rgb', r: 1, g: 2, b: 3 } },
      { fg: { kind: 'index', n: 12 }, bg: { kind: 'index', n: 9 } },
    ]);
  });

  it('drops cursor moves, titles, hyperlinks and control characters, keeping the text', () => {
    const hostile =
      'a\x1b[2J\x1b[10;10Hb\x1b]0;owned title\x07c\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\\x00\x08\x7fd\te\r\n';
    expect(plainText(hostile)).toBe('abclinkd\te\n');
  });

  it('keeps markup as text: the parser never produces anything but text segments', () => {
    expect(plainText('<script>alert(1)</script>\x1b[31m<img src=x onerror=alert(2)>')).toBe(
      '<script>alert(1)</script><img src=x onerror=alert(2)>',
    );
  });

  it('carries the style from one page to the next', () => {
    const first = parseAnsi('\x1b[33myellow starts');
    const second = parseAnsi(' and goes on\x1b[0m', first.end);
    expect(second.segments[0]).toEqual({ text: ' and goes on', style: { fg: { kind: 'index', n: 3 } } });
  });

  it('never loses or invents printable text, whatever the bytes (fuzzed)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string(), fc.constantFrom('\x1b[', '\x1b]', 'm', ';', '38', '5', '\x07', '\x1b\\')),
        ),
        (parts) => {
          const text = parts.join('');
          const out = plainText(text);
          // eslint-disable-next-line no-control-regex
          expect(/[\x00-\x08\x0b-\x1f\x7f]/.test(out)).toBe(false);
          // eslint-disable-next-line no-control-regex
          if (!/[\x00-\x1f\x7f]/.test(text)) expect(out).toBe(text);
        },
      ),
    );
  });

  it('maps the 256-colour cube and grey ramp like xterm', () => {
    expect(paletteRgb(16)).toBe('rgb(0,0,0)');
    expect(paletteRgb(196)).toBe('rgb(255,0,0)');
    expect(paletteRgb(255)).toBe('rgb(238,238,238)');
  });
});
