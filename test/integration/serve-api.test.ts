import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputPage, RunDetail, RunList, SearchResult, StepView } from '../../src/serve/api-types.js';
import { runCli, startCli, tempDir, waitForOutput, writeWorkflow as workflow } from '../helpers/cli.js';
import { pgClusterForFile } from '../helpers/pg-cluster.js';
import { apiGet, startServe, type Served } from '../helpers/serve.js';

const { reason: noPg, pg } = pgClusterForFile('serve on PostgreSQL');

const TOKEN = 'correct-horse-battery-staple-42';

/** Reads SSE events from a fetch body until `until` says stop (or the guard fires). */
async function readSse(
  res: Response,
  until: (events: { event: string; data: string }[]) => boolean,
  onEvent: (e: { event: string; data: string }) => void = () => undefined,
): Promise<{ event: string; data: string }[]> {
  const events: { event: string; data: string }[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) {
        events.push({ event, data });
        onEvent({ event, data });
      }
    }
  }
  await reader.cancel();
  return events;
}

/** fetch() does not let a caller set Host; node:http does. */
function statusWithHost(port: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(port), path: '/api/runs', headers: { Host: host } },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The response as it comes over the wire (node:http does not decompress), and its headers. */
function rawGet(
  url: string,
  headers: Record<string, string>,
  until?: (body: Buffer) => boolean,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      const done = () => resolve({ headers: res.headers, body: Buffer.concat(parts) });
      res.on('data', (b: Buffer) => {
        parts.push(b);
        if (until?.(Buffer.concat(parts))) {
          done();
          req.destroy();
        }
      });
      res.on('end', done);
    });
    req.on('error', (err) => (until ? undefined : reject(err)));
    req.end();
  });
}

describe('tasker serve: security', () => {
  it('refuses to listen beyond loopback without a token (exit 2, says how to fix it)', async () => {
    const env = { TASKER_SERVE_TOKEN: '' };
    const r = await runCli(['serve', '--listen', '0.0.0.0:0', '--state-home', tempDir()], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0:0 without a token/);
    expect(r.stderr).toMatch(/--token-file FILE or set TASKER_SERVE_TOKEN/);
    const short = await runCli(['serve', '--listen', '0.0.0.0:0'], { TASKER_SERVE_TOKEN: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/TASKER_SERVE_TOKEN: the token must be at least 16 characters/);
  });

  it('with a token on a non-loopback bind: every API call without the right token gets 401', async () => {
    const home = tempDir();
    const tokenFile = join(tempDir(), 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const child = startCli([
      'serve',
      '--listen',
      '0.0.0.0:0',
      '--state-home',
      home,
      '--token-file',
      tokenFile,
    ]);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitForOutput(child, (t) => t.includes('http://'));
      const port = /:(\d+)\//.exec(out)![1];
      const base = `http://127.0.0.1:${port}`;
      expect(out).not.toContain(TOKEN);
      for (const path of [
        '/api/runs',
        '/api/runs/x',
        '/api/events',
        '/api/runs/x/steps/1/output',
        '/api/nope',
      ]) {
        expect((await fetch(base + path)).status).toBe(401);
        expect((await fetch(base + path, { headers: { Authorization: `Bearer ${TOKEN}x` } })).status).toBe(
          401,
        );
        expect((await fetch(base + path, { headers: { Authorization: TOKEN } })).status).toBe(401);
        expect((await fetch(`${base + path}?token=${TOKEN}`)).status).toBe(401);
      }
      const ok = await fetch(`${base}/api/runs`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ runs: [], total: 0, next: null });
      // The page itself holds no data and loads without the token; it asks for it.
      expect((await fetch(`${base}/`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });

  describe('on loopback', () => {
    let served: Served;
    beforeAll(async () => {
      served = await startServe(tempDir());
    });
    afterAll(() => served.stop());

    it('sets a strict CSP and no CORS headers; refuses writes and foreign Host names', async () => {
      const page = await fetch(served.url, { headers: { Origin: 'http://evil.example' } });
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(page.headers.get('access-control-allow-origin')).toBeNull();
      const api = await fetch(`${served.url}api/runs`, { headers: { Origin: 'http://evil.example' } });
      expect(api.headers.get('access-control-allow-origin')).toBeNull();
      for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
        const r = await fetch(`${served.url}api/runs`, {
          method,
          headers: { Origin: 'http://evil.example' },
        });
        expect(r.status).toBe(405);
        expect(r.headers.get('access-control-allow-origin')).toBeNull();
      }
      // DNS rebinding: a page of evil.example re-pointed at 127.0.0.1 sends its own Host name.
      const port = new URL(served.url).port;
      expect(await statusWithHost(port, `evil.example:${port}`)).toBe(403);
      expect(await statusWithHost(port, `localhost:${port}`)).toBe(200);
    });
  });
});

// The same API over both history databases: the state home's SQLite file, and PostgreSQL (TASKER_STORE).
describe.each(['sqlite', 'postgres'] as const)(
  'tasker serve: the API over runs made by the real CLI (%s)',
  (backend) => {
    const skip = backend === 'postgres' && noPg !== undefined;
    const home = tempDir('tasker-serve-home-');
    let env: Record<string, string> = { TASKER_HOME: home };
    const dir = tempDir('tasker-serve-wf-');
    let served: Served;
    beforeAll(async () => {
      if (skip) return;
      if (backend === 'postgres') env = { ...env, TASKER_STORE: pg.createDatabase() };
      const big = workflow(
        dir,
        'big',
        `  - id: count\n    run: seq 1 200000\n  - id: boom\n    run: echo broken >&2; exit 4\n`,
      );
      const ok = workflow(dir, 'small', `  - id: hi\n    run: echo hi\n`);
      for (const f of [big, ok, ok]) await runCli(['run', f, '--output', 'plain'], env);
      served = await startServe(home, [], env);
    }, 60_000);
    afterAll(() => served?.stop());
    const get = <T>(path: string): Promise<T> => apiGet<T>(served, path);

    it.skipIf(skip)(
      'pages the list newest first with a cursor, and filters by status and workflow',
      async () => {
        const first = await get<RunList>('/api/runs?limit=2');
        expect(first.total).toBe(3);
        expect(first.runs.map((r) => r.workflow)).toEqual(['small', 'small']);
        const second = await get<RunList>(`/api/runs?limit=2&before=${encodeURIComponent(first.next!)}`);
        expect(second.runs.map((r) => r.workflow)).toEqual(['big']);
        expect(second.next).toBeNull();
        expect((await get<RunList>('/api/runs?status=failed')).runs.map((r) => r.failedStep)).toEqual([
          'boom',
        ]);
        expect((await get<RunList>('/api/runs?workflow=small')).total).toBe(2);
        const bad = await fetch(`${served.url}api/runs?status=bogus`);
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as { error: string }).error).toMatch(/status "bogus": expected one of/);
      },
    );

    it.skipIf(skip)('gzips JSON and the page when asked, never the live event stream', async () => {
      const { runs } = await get<RunList>('/api/runs?workflow=big');
      const count = (await get<RunDetail>(`/api/runs/${runs[0]!.id}`)).steps.find((s) => s.id === 'count')!;
      const path = `api/runs/${runs[0]!.id}/steps/${count.seq}/output`;
      const plain = await rawGet(served.url + path, {});
      expect(plain.headers['content-encoding']).toBeUndefined();
      const zipped = await rawGet(served.url + path, { 'Accept-Encoding': 'gzip' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
      expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
      const page = await rawGet(`${served.url}app.js`, { 'Accept-Encoding': 'gzip' });
      expect(page.headers['content-encoding']).toBe('gzip');
      // An event stream must arrive event by event: uncompressed, the first event readable at once.
      const events = await rawGet(`${served.url}api/events`, { 'Accept-Encoding': 'gzip' }, (b) =>
        b.toString().includes('event: hello'),
      );
      expect(events.headers['content-encoding']).toBeUndefined();
      expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    });

    it.skipIf(skip)(
      'pages a 1.3 MB output by byte range (pages join to the file) and searches it as a stream',
      async () => {
        const { runs } = await get<RunList>('/api/runs?workflow=big');
        const detail = await get<RunDetail>(`/api/runs/${runs[0]!.id}`);
        const count = detail.steps.find((s) => s.id === 'count')!;
        const base = `/api/runs/${runs[0]!.id}/steps/${count.seq}/output`;
        let offset = 0;
        let pages = 0;
        let text = '';
        for (;;) {
          const page = await get<OutputPage>(`${base}?offset=${offset}`);
          expect(page.end - page.offset).toBeLessThanOrEqual(64 * 1024);
          text += page.text;
          pages++;
          if (page.end >= page.size) break;
          offset = page.end;
        }
        expect(pages).toBeGreaterThan(15);
        expect(text).toBe(Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join(''));
        const found = await get<SearchResult>(`${base}/search?q=199999`);
        expect(found.matches).toEqual([
          { offset: expect.any(Number) as unknown, line: 199999, text: '199999' },
        ]);
        const last = await get<OutputPage>(`${base}?offset=-20`);
        expect(last.text).toBe('199998\n199999\n200000\n'.slice(-last.text.length));
        const boom = detail.steps.find((s) => s.id === 'boom')!;
        expect(boom).toMatchObject({ status: 'failed', exitCode: 4 });
        const err = await get<OutputPage>(`/api/runs/${runs[0]!.id}/steps/${boom.seq}/output?stream=stderr`);
        expect(err.text).toBe('broken\n');
        expect((await fetch(`${served.url}api/runs/${runs[0]!.id}/steps/99999/output`)).status).toBe(404);
      },
    );

    it.skipIf(skip)(
      'pushes a run started by another process over SSE, step by step, until it ends',
      async () => {
        const gate = join(dir, 'gate');
        const live = workflow(
          dir,
          'live',
          `  - id: first\n    run: echo started\n  - id: wait\n    run: while [ ! -f ${gate} ]; do sleep 0.05; done; echo released\n`,
        );
        const changes = await fetch(`${served.url}api/events`);
        const sawChange = readSse(changes, (evs) => evs.some((e) => e.event === 'change'));
        const child = startCli(['run', live, '--output', 'plain'], env);
        await waitForOutput(child, (t) => t.includes('step-start id=wait'));
        await sawChange;
        const { runs } = await get<RunList>('/api/runs?status=running');
        expect(runs.map((r) => r.workflow)).toEqual(['live']);
        const res = await fetch(`${served.url}api/runs/${runs[0]!.id}/events`);
        // The snapshot may come before or after the history has `wait` running: release it once it has.
        const statuses = new Map<string, string>();
        const seen: string[] = [];
        const events = await readSse(
          res,
          (evs) =>
            evs.some(
              (e) => e.event === 'run' && (JSON.parse(e.data) as { status: string }).status !== 'running',
            ),
          (e) => {
            const steps =
              e.event === 'snapshot'
                ? (JSON.parse(e.data) as RunDetail).steps
                : e.event === 'steps'
                  ? (JSON.parse(e.data) as StepView[])
                  : [];
            for (const s of steps) {
              statuses.set(s.id, s.status);
              seen.push(`${e.event} ${s.id}:${s.status}`);
            }
            if (statuses.get('wait') === 'running') writeFileSync(gate, '');
          },
        );
        expect(events[0]!.event).toBe('snapshot');
        expect(seen).toContain('steps wait:ok');
        expect(seen.indexOf('steps wait:ok')).toBeGreaterThan(
          seen.findIndex((x) => x.endsWith('wait:running')),
        );
        expect([...statuses]).toEqual([
          ['first', 'ok'],
          ['wait', 'ok'],
        ]);
        expect(JSON.parse(events[events.length - 1]!.data)).toMatchObject({ status: 'ok', exitCode: 0 });
        child.kill();
      },
    );

    it.skipIf(skip)(
      "a run whose files are on another box: PostgreSQL's copy is paged and searched; SQLite keeps none",
      async () => {
        const away = workflow(dir, 'away', `  - id: talk\n    run: seq 1 5000; echo 'the NEEDLE here'\n`);
        expect((await runCli(['run', away, '--output', 'plain'], env)).code).toBe(0);
        const { runs } = await get<RunList>('/api/runs?workflow=away');
        const run = runs[0]!;
        // The box that ran it keeps the files; this one does not have them.
        rmSync(run.runDir, { recursive: true, force: true });
        const talk = (await get<RunDetail>(`/api/runs/${run.id}`)).steps.find((s) => s.id === 'talk')!;
        const base = `/api/runs/${run.id}/steps/${talk.seq}/output`;
        const page = await get<OutputPage>(`${base}?limit=1000000`);
        const found = await get<SearchResult>(`${base}/search?q=needle`);
        if (backend === 'sqlite') {
          expect(page).toMatchObject({ missing: true, text: '' });
          expect(found.matches).toEqual([]);
          return;
        }
        const whole = Array.from({ length: 5000 }, (_, i) => `${i + 1}\n`).join('') + 'the NEEDLE here\n';
        expect(page).toMatchObject({ text: whole, size: whole.length, copyFrom: run.host });
        expect(found.matches).toEqual([{ offset: whole.length - 16, line: 5001, text: 'the NEEDLE here' }]);
        const last = await get<OutputPage>(`${base}?offset=-10`);
        expect(last.text).toBe('the NEEDLE here\n'.slice(-last.text.length));
      },
    );
  },
);
