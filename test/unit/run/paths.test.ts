import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import { cleanRunDirs, cmd, copy, plan, run, tpl } from './plan-builders.js';

afterEach(cleanRunDirs);

// As cron runs it: the workflow lives in /srv/flows, tasker starts somewhere else ($HOME).
const inFlows = (p: Plan): Plan => ({ ...p, file: '/srv/flows/backup.yaml' });
const web1 = { kind: 'ssh' as const, name: 'web1', vars: {} };

describe('relative paths in a workflow resolve against its directory', () => {
  it('local commands run in the workflow directory; a relative cwd is inside it; an absolute one is kept', async () => {
    const p = inFlows(
      plan([
        cmd('plain', 'a'),
        cmd('sub', 'b', { spec: { cwd: tpl('scripts') } }),
        cmd('abs', 'c', { spec: { cwd: tpl('/tmp') } }),
        cmd('remote', 'd', { target: web1, spec: { cwd: tpl('app') } }),
      ]),
    );
    const ran = await run(p);
    const cwd = (script: string) => ran.fake.callsOf(script)[0]?.req.cwd;
    expect(cwd('a')).toBe('/srv/flows');
    expect(cwd('b')).toBe('/srv/flows/scripts');
    expect(cwd('c')).toBe('/tmp');
    // On a remote host a relative cwd is the host's business (its login directory).
    expect(cwd('d')).toBe('app');
  });

  it('copy sources (and a local destination) are inside the workflow directory', async () => {
    const ran = await run(inFlows(plan([copy('c', './dist/app.tgz', 'out/app.tgz')])));
    expect(ran.fake.copies[0]).toMatchObject({
      src: '/srv/flows/dist/app.tgz',
      dest: '/srv/flows/out/app.tgz',
    });
  });

  it('TASKER task files keep the directory tasker started in', async () => {
    const ran = await run({ ...inFlows(plan([cmd('t1', 'a')])), format: 'tasker' });
    expect(ran.fake.calls[0]?.req.cwd).toBeUndefined();
  });
});
