import { Chalk } from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import { renderSummary } from '../../../src/report/pretty-summary.js';
import { cleanRunDirs, cmd, fanout, plan, run, ssh } from '../run/plan-builders.js';

afterEach(cleanRunDirs);

const c = new Chalk({ level: 0 });
const HOSTS = ['web1', 'web2', 'web3'];
// web1 ends last: completion order is not inventory order.
const scripts = {
  'deploy web1': { delayMs: 40, exit: 2 },
  'deploy web2': { delayMs: 1 },
  'deploy web3': { delayMs: 5 },
  slow: { hang: true },
};

describe('what the summary and JUnit say', () => {
  it('list a fan-out as its hosts, in inventory order, and count its failure once', async () => {
    const p = plan([fanout('rolling', 'deploy ${{ host.name }}', HOSTS)]);
    const ran = await run(p, scripts);
    const table = renderSummary(ran.result, c, false, p).filter((l) => /^ {2}rolling\s/.test(l));
    expect(table.map((l) => l.split(/\s+/)[2])).toEqual(['web1', 'web2', 'web3']);
    const text = renderSummary(ran.result, c, false, p).join('\n');
    expect(text).not.toContain('no exit status');
    const junit = renderJunit(ran.result, p);
    expect(junit).toMatch(/<testsuite [^>]*tests="3" failures="1" errors="0"/);
    expect([...junit.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'rolling@web1',
      'rolling@web2',
      'rolling@web3',
    ]);
  });

  it('report a tolerated timeout (continue_on_error) as a failure with a property, not an error', async () => {
    const p = plan([
      cmd('flaky', 'slow', { timeoutMs: 30, continueOnError: true }),
      cmd('after', 'deploy web2'),
    ]);
    const ran = await run(p, scripts);
    expect(ran.result.exitCode).toBe(0);
    const junit = renderJunit(ran.result, p);
    expect(junit).toMatch(/<testsuite [^>]*failures="1" errors="0"/);
    expect(junit).toContain('<property name="tolerated" value="true"/>');
    expect(junit).toMatch(/<failure message="timed out after [^"]+" type="timed-out">/);
    expect(junit).not.toContain('<error');
  });

  it('names anonymous steps by their place, never by an internal path id', async () => {
    const anon = { ...cmd('steps.0', 'deploy web2'), explicitId: false, name: 'steps[1]' };
    const p = plan([anon]);
    const ran = await run(p, { 'deploy web2': { exit: 1 } });
    const text = renderSummary(ran.result, c, false, p).join('\n');
    expect(text).toContain('steps[1]');
    expect(text).not.toMatch(/steps\.0/);
    expect(renderJunit(ran.result, p)).toContain('name="steps[1]"');
  });

  it('list a fan-out that no host started (not reached) once, as skipped, in the table and JUnit', async () => {
    const p = plan([cmd('build', 'build'), fanout('upload', 'deploy ${{ host.name }}', HOSTS)]);
    const ran = await run(p, { build: { exit: 1 } });
    const table = renderSummary(ran.result, c, false, p).filter((l) => /^ {2}(build|upload)\s/.test(l));
    expect(table.map((l) => l.trim().split(/\s+/).slice(0, 3))).toEqual([
      ['build', '-', 'failed'],
      ['upload', '-', 'skipped'],
    ]);
    const junit = renderJunit(ran.result, p);
    expect(junit).toMatch(/<testsuite [^>]*tests="2" failures="1" errors="0" skipped="1"/);
    expect(junit).toMatch(/<testcase [^>]*name="upload"[^>]*>\s*<skipped/);
  });

  it('name unreachable hosts in inventory order, not in the order they gave up', async () => {
    const unreachable = { error: { code: 'unreachable' as const, message: 'no route' } };
    // web3 gives up in the first step, web1 in the second.
    const p = {
      ...plan([
        fanout('check', 'check ${{ host.name }}', ['web3'], { maxFailed: 1 }),
        fanout('rolling', 'deploy ${{ host.name }}', ['web1', 'web2'], { maxFailed: 1 }),
      ]),
      hosts: Object.fromEntries(HOSTS.map((h) => [h, ssh(h)])),
    };
    const ran = await run(p, { 'check web3': unreachable, 'deploy web1': unreachable, 'deploy web2': {} });
    expect(ran.result.unreachableHosts).toEqual(['web1', 'web3']);
    const text = renderSummary(ran.result, c, false, p).join('\n');
    expect(text).toMatch(/UNREACHABLE HOSTS \(2\) !!\n {2}⚠ web1: no route\n {2}⚠ web3: no route/);
    // Nothing ran there: no "(no stderr)" as if it had run and stayed silent.
    expect(text).toContain('✖ rolling@web1 unreachable: no route\n');
  });
});
