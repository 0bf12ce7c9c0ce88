import fc from 'fast-check';

/** Values an attacker would pass with `--var x=…`: each runs `touch MARK` if it ever becomes code. */
export const HOSTILE: readonly string[] = [
  '$(touch MARK)',
  '`touch MARK`',
  '; touch MARK',
  '& touch MARK &',
  '| touch MARK',
  '&& touch MARK',
  "'; touch MARK; '",
  '"; touch MARK; "',
  '\'"$(touch MARK)"\'',
  '\ntouch MARK\n',
  '\r\ntouch MARK',
  '}; touch MARK; {',
  '}$(touch MARK)',
  ')); touch MARK; ((',
  ')$(touch MARK)',
  '#\ntouch MARK',
  '\nEOF\ntouch MARK\n',
  'EOF',
  '\\',
  'a\\',
  '\\"; touch MARK; \\"',
  "\\'; touch MARK; \\'",
  '${IFS}touch${IFS}MARK',
  '$((1))$(touch MARK)',
  'a[$(touch MARK)]',
  '($(touch MARK))',
  "$'\\x41'",
  '>MARK',
  '<(touch MARK)',
  '`',
  '"',
  "'",
  '$',
  '',
  ' ',
  '3',
  '2',
  'if',
  'a=b',
  '{a,b}',
  '~root',
  '*',
  '-n',
  '!',
  'plain-word_1.2',
  'ünïcødé ✓ \u0001\u001f\u007f',
];

const FRAGMENTS = [
  ...HOSTILE,
  '$(',
  ')',
  '${',
  '}',
  '((',
  '))',
  '[',
  ']',
  '#',
  '\n',
  '\t',
  ' ',
  ';',
  '&',
  '|',
  '<',
  '>',
  '=',
  '~',
  '?',
  '*',
  '\\\n',
  'touch MARK',
];

const codePoint = fc
  .integer({ min: 1, max: 0x2fff })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCodePoint(c));

/** Hostile values: the list above, and random mixes of shell syntax, control and non-ASCII text (no NUL). */
export const payloadArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc
    .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: codePoint, maxLength: 6 })), {
      maxLength: 8,
    })
    .map((a) => a.join('')),
);
