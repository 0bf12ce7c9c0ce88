import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import { runResult, stepResult } from './builders.js';

/** Well-formedness by structure: tags balance, attributes are quoted, no raw markup in text. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\n/, '');
  const stack: string[] = [];
  const tag =
    /<(\/?)([A-Za-z-]+)((?:\s+[A-Za-z-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos|#\d+);[^"<&]*)*")*)\s*(\/?)>/g;
  let last = 0;
  for (const m of body.matchAll(tag)) {
    const between = body.slice(last, m.index);
    expect(between, `text before <${m[2]}>`).not.toMatch(/[<>]|&(?!(?:amp|lt|gt|quot|apos|#\d+);)/);
    last = m.index + m[0].length;
    if (m[4]) continue;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]!);
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  // eslint-disable-next-line no-control-regex -- asserting none of these survive
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
}

describe('renderJunit', () => {
  const result = runResult({
    workflow: 'deploy',
    durationMs: 12_345,
    steps: [
      stepResult({ id: 'build', durationMs: 1500 }),
      stepResult({ id: 'block', kind: 'parallel', status: 'failed' }),
      stepResult({
        id: 'deploy@web1',
        host: 'web1',
        status: 'failed',
        exitCode: 3,
        stderrTail: ['a <b> & "c"', "it's \u001b[31mred\u001b[0m\u0007"],
      }),
      stepResult({ id: 'slow', status: 'timed-out', exitCode: null, durationMs: 5000 }),
      stepResult({
        id: 'up',
        host: 'web2',
        status: 'unreachable',
        exitCode: null,
        error: { code: 'auth', message: 'auth <refused>' },
      }),
      stepResult({ id: 'skip', status: 'skipped', exitCode: null, skipReason: 'condition' }),
      stepResult({ id: 'gone', status: 'cancelled', exitCode: null }),
    ],
  });
  const xml = renderJunit(result);

  it('is well-formed XML with a declaration', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    assertWellFormed(xml);
  });

  it('counts tests, failures, errors and skipped on the suite, leaving out block results', () => {
    const counts = 'tests="6" failures="1" errors="2" skipped="2" time="12.345"';
    expect(xml).toContain(`<testsuites name="deploy" ${counts}>`);
    expect(xml).toMatch(
      new RegExp(`<testsuite name="deploy" ${counts} timestamp="2026-11-22T03:00:00.000Z">`),
    );
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml).not.toContain('name="block"');
  });

  it('writes one testcase per instance with classname, id@host and time', () => {
    expect(xml).toContain('<testcase classname="deploy" name="build" time="1.500"/>');
    expect(xml).toContain('<testcase classname="deploy" name="deploy@web1" time="1.200">');
    expect(xml).toContain('<testcase classname="deploy" name="up@web2" time="1.200">');
  });

  it('maps failed to <failure>, timed-out and unreachable to <error>, skipped and cancelled to <skipped>', () => {
    expect(xml).toContain('<failure message="exit 3" type="failed">');
    expect(xml).toContain('<error message="timed out after 5.000s" type="timed-out"></error>');
    expect(xml).toContain('<error message="auth &lt;refused&gt;" type="unreachable"></error>');
    expect(xml).toContain('<skipped message="condition"/>');
    expect(xml).toContain('<skipped message="cancelled"/>');
  });

  it('escapes markup in the stderr tail, strips ANSI and replaces control characters', () => {
    expect(xml).toContain('a &lt;b&gt; &amp; "c"\nit\'s red\ufffd</failure>');
  });

  it('escapes quotes, apostrophes and newlines in attributes', () => {
    const weird = renderJunit(runResult({ workflow: `a"b'c&d\ne`, steps: [stepResult({ id: 'x<y' })] }));
    assertWellFormed(weird);
    expect(weird).toContain('<testsuites name="a&quot;b&apos;c&amp;d&#10;e"');
    expect(weird).toContain('name="x&lt;y"');
  });

  it('writes an empty suite for a run with no steps', () => {
    const empty = renderJunit(runResult());
    assertWellFormed(empty);
    expect(empty).toContain('tests="0" failures="0" errors="0" skipped="0"');
  });
});
