import type { RunResult, StepResult } from '../model/result.js';
import { isoTime } from '../model/result-json.js';
import { secondsValue } from './durations.js';
import { instanceLabel, isInstanceResult, outcomeText } from './labels.js';
import { xmlAttr, xmlText } from './xml.js';

/**
 * JUnit XML for CI dashboards: one testsuite named for the workflow, one testcase per step
 * instance (`id[@host]`). failed → <failure>, timed-out and unreachable → <error>,
 * skipped and cancelled → <skipped>. Failure and error bodies hold the stderr tail.
 */
export function renderJunit(result: RunResult): string {
  const steps = result.steps.filter(isInstanceResult);
  const count = (pred: (s: StepResult) => boolean): number => steps.filter(pred).length;
  const counts = {
    tests: steps.length,
    failures: count((s) => s.status === 'failed'),
    errors: count((s) => s.status === 'timed-out' || s.status === 'unreachable'),
    skipped: count((s) => s.status === 'skipped' || s.status === 'cancelled'),
    time: secondsValue(result.durationMs),
  };
  const attrs = (extra: Record<string, string | number>): string =>
    Object.entries(extra)
      .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
      .join('');
  const timestamp = isoTime(result.startedAt);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: result.workflow, ...counts })}>`,
    `  <testsuite${attrs({ name: result.workflow, ...counts, ...(timestamp ? { timestamp } : {}) })}>`,
    // A dry run ran nothing: dashboards must not count it as a passing run.
    ...(result.dryRun
      ? ['    <properties>', '      <property name="dry_run" value="true"/>', '    </properties>']
      : []),
    ...steps.flatMap((s) => testcase(s, result.workflow)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(s: StepResult, workflow: string): string[] {
  const open = `    <testcase classname="${xmlAttr(workflow)}" name="${xmlAttr(instanceLabel(s.id, s.host))}" time="${secondsValue(s.durationMs)}"`;
  const body = verdict(s);
  return body ? [`${open}>`, `      ${body}`, '    </testcase>'] : [`${open}/>`];
}

function verdict(s: StepResult): string | undefined {
  const tail = xmlText(s.stderrTail.join('\n'));
  switch (s.status) {
    case 'ok':
      return undefined;
    case 'failed':
      return `<failure message="${xmlAttr(outcomeText(s))}" type="failed">${tail}</failure>`;
    case 'timed-out':
      return `<error message="${xmlAttr(`timed out after ${secondsValue(s.durationMs)}s`)}" type="timed-out">${tail}</error>`;
    case 'unreachable':
      return `<error message="${xmlAttr(s.error?.message ?? 'host unreachable')}" type="unreachable">${tail}</error>`;
    case 'skipped':
      return `<skipped message="${xmlAttr(s.skipReason ?? 'skipped')}"/>`;
    case 'cancelled':
      return `<skipped message="cancelled"/>`;
  }
}
