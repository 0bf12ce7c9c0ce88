import type { RunResult, StepResult } from '../model/result.js';
import { isoTime } from '../model/result-json.js';
import { secondsValue } from './durations.js';
import type { Plan } from '../model/plan.js';
import { displayName, instanceLabel, outcomeText } from '../model/labels.js';
import { reportedSteps, toleratedFailures } from './order.js';
import { xmlAttr, xmlText } from './xml.js';

/**
 * JUnit XML for CI dashboards: one testsuite named for the workflow, one testcase per step × host
 * (`name[@host]`, in workflow and inventory order; a fan-out is its hosts, never counted again, or
 * one case when no host started).
 * failed → <failure>, timed-out and unreachable → <error>, skipped and cancelled → <skipped>. A
 * failure the workflow tolerated (`continue_on_error`, a fan-out within `max_failed`) is a
 * <failure> whatever its kind, with a `tolerated` property. Bodies hold the stderr tail.
 */
export function renderJunit(result: RunResult, plan?: Plan): string {
  const steps = reportedSteps(result.steps, plan);
  const tolerated = toleratedFailures(result.steps, plan);
  const count = (pred: (s: StepResult) => boolean): number => steps.filter(pred).length;
  const isError = (s: StepResult) =>
    (s.status === 'timed-out' || s.status === 'unreachable') && !tolerated.has(s);
  const counts = {
    tests: steps.length,
    failures: count((s) => s.status === 'failed' || (tolerated.has(s) && !isError(s))),
    errors: count(isError),
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
    ...steps.flatMap((s) => testcase(s, result.workflow, tolerated.has(s))),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(s: StepResult, workflow: string, tolerated: boolean): string[] {
  const name = instanceLabel(displayName(s.id, s.name), s.host);
  const open = `    <testcase classname="${xmlAttr(workflow)}" name="${xmlAttr(name)}" time="${secondsValue(s.durationMs)}"`;
  const body = tolerated ? toleratedVerdict(s) : verdict(s);
  return body ? [`${open}>`, ...body.map((l) => `      ${l}`), '    </testcase>'] : [`${open}/>`];
}

function toleratedVerdict(s: StepResult): string[] {
  const tail = xmlText(s.stderrTail.join('\n'));
  return [
    '<properties><property name="tolerated" value="true"/></properties>',
    `<failure message="${xmlAttr(whyText(s))}" type="${s.status}">${tail}</failure>`,
  ];
}

function whyText(s: StepResult): string {
  if (s.status === 'timed-out') return `timed out after ${secondsValue(s.durationMs)}s`;
  if (s.status === 'unreachable') return s.error?.message ?? 'host unreachable';
  return outcomeText(s);
}

function verdict(s: StepResult): string[] | undefined {
  const tail = xmlText(s.stderrTail.join('\n'));
  switch (s.status) {
    case 'ok':
      return undefined;
    case 'failed':
      return [`<failure message="${xmlAttr(whyText(s))}" type="failed">${tail}</failure>`];
    case 'timed-out':
    case 'unreachable':
      return [`<error message="${xmlAttr(whyText(s))}" type="${s.status}">${tail}</error>`];
    case 'skipped':
      return [`<skipped message="${xmlAttr(s.skipReason ?? 'skipped')}"/>`];
    case 'cancelled':
      return ['<skipped message="cancelled"/>'];
  }
}
