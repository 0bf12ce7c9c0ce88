import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type {
  OutlineNode,
  OutputPage,
  PlanView,
  RunDetail,
  RunList,
  SearchResult,
} from '../../src/serve/api-types.js';
import { historyFile } from '../../src/store/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { apiGet, failsUntil, recordRun, startServe, type Served } from '../helpers/serve.js';

/** Every kind of step row the history holds: retries, loops, skips, blocks, unreachable hosts. */
function workflow(dir: string): string {
  const count = join(dir, 'count');
  const file = join(dir, 'codec.yaml');
  writeFileSync(
    file,
    `version: 1
name: codec
hosts:
  dead1: { address: 127.0.0.1, port: 1 }
  dead2: { address: 127.0.0.1, port: 1 }
defaults:
  connect_timeout: 2s
steps:
  - id: flaky
    run: ${failsUntil(count, 3, 'out of attempt $n', 'err of attempt $n')}
    retry: { attempts: 3 }
  - id: spin
    run: echo spin
    loop: 2
  - id: never
    when: false
    run: echo never
  - parallel:
      - id: left
        run: echo left
      - id: right
        run: echo right >&2
  - id: fleet
    hosts: [dead1, dead2]
    run: uptime
    continue_on_error: true
  - id: last
    run: echo "secret-ish but not a secret"; exit 5
`,
  );
  return file;
}

describe('tasker serve: step JSON through the model codec, and each attempt’s output', () => {
  const home = tempDir('tasker-serve-steps-home-');
  const dir = tempDir('tasker-serve-steps-wf-');
  const report = join(dir, 'report.json');
  let served: Served;
  let detail: RunDetail;
  let shown: { run: unknown; steps: unknown[] };
  const get = <T>(path: string, status = 200): Promise<T> => apiGet<T>(served, path, status);

  beforeAll(async () => {
    const r = await recordRun(home, workflow(dir), 1, ['--json', report]);
    expect(r.stdout).toMatch(/step-end id=last .*exit=5/);
    served = await startServe(home);
    const { runs } = await get<RunList>('/api/runs');
    detail = await get<RunDetail>(`/api/runs/${runs[0]!.id}`);
    const show = await runCli(['show', runs[0]!.id, '--json'], { TASKER_HOME: home });
    shown = JSON.parse(show.stdout) as typeof shown;
  }, 90_000);
  afterAll(() => served?.stop());

  it('answers every step exactly as the --json report prints it, field by field', () => {
    const steps = (JSON.parse(readFileSync(report, 'utf8')) as { steps: Record<string, unknown>[] }).steps;
    const key = (s: { id?: unknown; host?: unknown }): string => `${String(s.id)}@${String(s.host)}`;
    const fromApi = new Map(detail.steps.map((s) => [key(s), s]));
    expect([...fromApi.keys()].sort()).toEqual(steps.map(key).sort());
    for (const want of steps) {
      const { seq, ...got } = fromApi.get(key(want))!;
      expect(seq).toBeGreaterThan(0);
      expect(Object.keys(got), key(want)).toEqual(Object.keys(want));
      for (const field of Object.keys(want))
        expect((got as Record<string, unknown>)[field], `${key(want)} ${field}`).toEqual(want[field]);
    }
    // `tasker show --json` prints the same rows, in the same order, byte for byte without `seq`.
    expect(JSON.stringify(shown.steps)).toBe(JSON.stringify(detail.steps.map(({ seq: _s, ...f }) => f)));
    expect(shown.run).toEqual(detail.run);
    // The run covers what the comparison must cover: retries, loops, skips, blocks, unreachable hosts.
    const by = (id: string) => detail.steps.filter((s) => s.id === id);
    expect(by('flaky')[0]!.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'ok']);
    expect(by('spin')[0]!.attempts.map((a) => a.iteration)).toEqual([1, 2]);
    expect(by('never')[0]).toMatchObject({ status: 'skipped', skipReason: 'condition' });
    expect(by('fleet').map((s) => `${s.kind}@${s.host}:${s.status}`)).toEqual([
      'command@dead1:unreachable',
      'command@dead2:unreachable',
      'fanout@null:unreachable',
    ]);
    expect(detail.steps.some((s) => s.kind === 'parallel')).toBe(true);
  });

  it('opens each attempt of a retried step: its own stdout and stderr, paged and searched', async () => {
    const flaky = detail.steps.find((s) => s.id === 'flaky')!;
    const base = `/api/runs/${detail.run.id}/steps/${flaky.seq}/output`;
    for (const n of [1, 2, 3]) {
      expect((await get<OutputPage>(`${base}?attempt=${n}`)).text).toBe(`out of attempt ${n}\n`);
      expect((await get<OutputPage>(`${base}?attempt=${n}&stream=stderr`)).text).toBe(
        `err of attempt ${n}\n`,
      );
      const found = await get<SearchResult>(`${base}/search?attempt=${n}&q=attempt`);
      expect(found.matches.map((m) => m.text)).toEqual([`out of attempt ${n}`]);
    }
    // Without `attempt`: the step's own output, which is its last attempt's.
    expect((await get<OutputPage>(base)).text).toBe('out of attempt 3\n');
    const spin = detail.steps.find((s) => s.id === 'spin')!;
    const loop = `/api/runs/${detail.run.id}/steps/${spin.seq}/output`;
    expect((await get<OutputPage>(`${loop}?attempt=2`)).text).toBe('spin\n');
  });

  it('answers the plan recorded with the run: every step row is a node of it', async () => {
    const { plan } = await get<PlanView>(`/api/runs/${detail.run.id}/plan`);
    const ids = new Set<string>();
    const walk = (n: OutlineNode): void => {
      ids.add(n.id);
      [...n.children, ...n.finally].forEach(walk);
    };
    walk(plan.root);
    expect(plan.name).toBe('codec');
    for (const s of detail.steps) expect(ids.has(s.id), s.id).toBe(true);
    const fleet = plan.root.children.find((n) => n.id === 'fleet')!;
    expect(fleet).toMatchObject({ kind: 'fanout', hosts: 2, label: 'uptime' });
    expect(plan.root.children.find((n) => n.id === 'flaky')).toMatchObject({ retry: 3 });
    expect(plan.root.children.find((n) => n.id === 'spin')).toMatchObject({ loop: 2 });
    // A run recorded before plans were kept (no plan in its row) says so; an unknown run is 404 too.
    const db = new Database(historyFile(home));
    db.prepare('UPDATE runs SET plan = NULL WHERE id = ?').run(detail.run.id);
    db.close();
    expect((await get<{ error: string }>(`/api/runs/${detail.run.id}/plan`, 404)).error).toMatch(
      /recorded without its plan/,
    );
    expect((await get<{ error: string }>('/api/runs/nope/plan', 404)).error).toMatch(/no run "nope"/);
  });

  it('refuses an attempt the step does not have, naming the range', async () => {
    const flaky = detail.steps.find((s) => s.id === 'flaky')!;
    const base = `/api/runs/${detail.run.id}/steps/${flaky.seq}/output`;
    expect((await get<{ error: string }>(`${base}?attempt=4`, 404)).error).toMatch(
      /attempt "4": step \d+ has attempts 1 to 3/,
    );
    for (const bad of ['0', '-1', 'x', '1.5'])
      expect((await get<{ error: string }>(`${base}?attempt=${bad}`, 400)).error).toMatch(/attempt/);
    const never = detail.steps.find((s) => s.id === 'never')!;
    const none = `/api/runs/${detail.run.id}/steps/${never.seq}/output?attempt=1`;
    expect((await get<{ error: string }>(none, 404)).error).toMatch(/no recorded attempts/);
  });
});
