import { afterEach, describe, expect, it } from 'vitest';
import { cleanRunDirs, cmd, plan, run } from './plan-builders.js';

afterEach(cleanRunDirs);

describe('run start', () => {
  it('evaluates vars in order, each seeing earlier vars and env, keeping a lone expression typed', async () => {
    const vars = {
      region: '${{ env.REGION ?? "eu" }}',
      host: 'api.${{ vars.region }}',
      n: 3,
      flag: '${{ vars.n == 3 }}',
    };
    const ran = await run(
      plan([cmd('a', 'echo ${{ vars.host }} ${{ vars.flag }}')], { vars }),
      {},
      { env: { REGION: 'us' } },
    );
    expect(ran.fake.calls[0]?.req.command).toEqual({ kind: 'shell', script: 'echo api.us true' });
  });

  it('a var that fails to evaluate means nothing runs: exit 2 with an error naming the var', async () => {
    const ran = await run(plan([cmd('a', 'a')], { vars: { broken: '${{ vars.later }}', later: 'x' } }));
    expect(ran.fake.calls).toHaveLength(0);
    expect(ran.result).toMatchObject({ status: 'failed', exitCode: 2, steps: [] });
    expect(ran.result.error).toContain('"broken"');
    expect(ran.events.map((e) => e.kind)).toEqual(['run-start', 'run-end']);
  });

  it('a missing secret means nothing runs: exit 2 with an error naming it', async () => {
    const ran = await run(plan([cmd('a', 'a')], { secrets: ['DB_PASSWORD'] }), {}, { env: {} });
    expect(ran.fake.calls).toHaveLength(0);
    expect(ran.result.exitCode).toBe(2);
    expect(ran.result.error).toContain('DB_PASSWORD');
  });

  it('a secret of 1 or 2 characters means nothing runs, never an unmasked secret', async () => {
    for (const value of ['7', 'ab']) {
      const ran = await run(
        plan([cmd('a', 'echo $PIN')], { secrets: ['PIN', 'OK_ONE'] }),
        {},
        {
          env: { PIN: value, OK_ONE: 'long-enough' },
        },
      );
      expect(ran.fake.calls).toHaveLength(0);
      expect(ran.result.exitCode).toBe(2);
      expect(ran.result.error).toMatch(/secret PIN is shorter than 3 characters.*use a longer value/);
      expect(ran.result.error).not.toContain(value === '7' ? '7' : 'ab');
    }
    // Empty (nothing to reveal) and 3 characters (masked) run.
    for (const value of ['', 'abc']) {
      const ran = await run(plan([cmd('a', 'true')], { secrets: ['PIN'] }), {}, { env: { PIN: value } });
      expect(ran.fake.calls).toHaveLength(1);
    }
  });

  it('masks secrets inside a var error message', async () => {
    const ran = await run(
      plan([cmd('a', 'a')], { secrets: ['TOKEN'], vars: { v: '${{ vars[env.TOKEN] }}' } }),
      {},
      { env: { TOKEN: 'sekrit-value' } },
    );
    expect(ran.result.exitCode).toBe(2);
    expect(ran.result.error).not.toContain('sekrit-value');
  });
});
