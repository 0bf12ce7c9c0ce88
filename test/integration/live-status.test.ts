import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { collect, startCli, tempDir } from '../helpers/cli.js';
import { tmuxTerminal } from '../helpers/tmux.js';
import { startSshd } from '../helpers/sshd.js';
import { hostsBlock, sharedDir } from './fanout-helpers.js';
import { freePort } from '../helpers/ports.js';

const term = tmuxTerminal('live');
const { tmux, screen, until, startInTmux } = term;
afterAll(() => term.close());

function gated(dir: string): { file: string; gate: string } {
  const gate = join(dir, 'gate');
  const file = join(dir, 'flow.yaml');
  writeFileSync(
    file,
    `version: 1\nname: gated\nsteps:\n  - id: build\n    run: echo built\n  - id: wait\n    run: echo waiting; while [ ! -f ${gate} ]; do sleep 0.05; done; echo released\n`,
  );
  return { file, gate };
}

const AREA = /running \d+ steps? · /;

afterEach(() => term.killSessions());

describe('the live status area, in a real terminal (tmux)', () => {
  it('shows the running step with its elapsed time below the log, and is gone when the run ends', async () => {
    const { file, gate } = gated(tempDir());
    const s = startInTmux(file);
    const live = await until(s, (t) => AREA.test(t) && t.includes('│ waiting'), 'the status area');
    const lines = live.trimEnd().split('\n');
    // The area is the last thing on screen, under the log: a spinner headline, then the step.
    expect(lines.at(-2)).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running 1 step · \d/);
    expect(lines.at(-1)).toMatch(/^ {2}wait {2}\d+(ms|\.\ds)$/);
    expect(lines.findIndex((l) => l.startsWith('▶ wait'))).toBeLessThan(lines.length - 2);
    writeFileSync(gate, '');
    const done = await until(s, (t) => t.includes('TASKER-EXIT=0'), 'the end of the run');
    expect(done).not.toMatch(AREA);
    expect(done).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(done).toMatch(/│ released\n✔ wait/);
    expect(done).toMatch(/✔ run ok/);
  });

  it('never appears with TERM=dumb, nor when stdout is not a terminal', async () => {
    const { file, gate } = gated(tempDir());
    const s = startInTmux(file, { TERM: 'dumb' });
    await until(s, (t) => t.includes('│ waiting'), 'the step running');
    await new Promise((r) => setTimeout(r, 400));
    expect(screen(s)).not.toMatch(AREA);
    writeFileSync(gate, '');
    await until(s, (t) => t.includes('TASKER-EXIT=0'), 'the end');
    const piped = gated(tempDir());
    writeFileSync(piped.gate, '');
    const r = await collect(startCli(['run', piped.file, '--output', 'pretty'], { TERM: 'xterm-256color' }));
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(AREA);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('disappears on Ctrl+C, leaving the interrupted run readable', async () => {
    const { file } = gated(tempDir());
    const s = startInTmux(file);
    await until(s, (t) => AREA.test(t), 'the status area');
    tmux('send-keys', '-t', s, 'C-c');
    const done = await until(s, (t) => /TASKER-EXIT=130/.test(t), 'exit 130');
    expect(done).not.toMatch(AREA);
    // The CLI's own notice (on stderr) and the log's line both stay: the area went before them.
    expect(done).toMatch(/tasker: SIGINT received: stopping/);
    expect(done).toMatch(/■ SIGINT received: stopping/);
  });

  it('is redrawn once, not smeared, when the terminal is resized', async () => {
    const { file, gate } = gated(tempDir());
    const s = startInTmux(file);
    await until(s, (t) => AREA.test(t), 'the status area');
    tmux('resize-window', '-t', s, '-x', '40');
    await new Promise((r) => setTimeout(r, 500));
    tmux('resize-window', '-t', s, '-x', '120');
    await new Promise((r) => setTimeout(r, 500));
    const after = screen(s);
    expect(after.match(/running 1 step/g)).toHaveLength(1);
    expect(after.match(/^ {2}wait {2}/gm)).toHaveLength(1);
    writeFileSync(gate, '');
    const done = await until(s, (t) => t.includes('TASKER-EXIT=0'), 'the end');
    expect(done).not.toMatch(AREA);
  });
});

const sshd = await startSshd({ hosts: 4 });
afterAll(() => sshd?.stop());

describe.skipIf(!sshd)('fan-out progress and the per-host recap (real sshd)', () => {
  it('counts hosts done, failed and unreachable live, then recaps each host in inventory order', async () => {
    const dir = sharedDir();
    const gate = join(dir, 'gate');
    const port = await freePort(sshd!.addresses[0]);
    const down = `  h00: { address: ${sshd!.addresses[0]}, port: ${port}, user: ${sshd!.user}, key: ${sshd!.keyFile} }`;
    const file = join(dir, 'fan.yaml');
    writeFileSync(
      file,
      `version: 1\nname: fan\n${hostsBlock(sshd!, 4, [down])}groups:\n  fleet: [h01, h02, h00, h03, h04]\nsteps:\n` +
        `  - id: deploy\n    hosts: fleet\n    max_failed: 3\n    run: |\n` +
        `      if [ "$TASKER_TEST_HOST" = host02 ]; then echo "disk full on /var" >&2; exit 3; fi\n` +
        `      while [ ! -f ${gate} ]; do sleep 0.05; done; echo deployed\n` +
        `  - id: check\n    hosts: fleet\n    run: echo fine\n`,
    );
    const s = startInTmux(file, {}, 110, `--known-hosts ${sshd!.knownHostsFile}`);
    const live = await until(
      s,
      (t) => /hosts: 2\/5 done · 1 failed · 1 unreachable/.test(t),
      'fan-out progress',
    );
    expect(live).toMatch(/^ {2}deploy {2}hosts: 2\/5 done · 1 failed · 1 unreachable$/m);
    expect(live).toMatch(/^ {2}deploy@h01 {2}/m);
    writeFileSync(gate, '');
    const done = await until(s, (t) => /TASKER-EXIT=\d+/.test(t), 'the end of the run');
    expect(done).not.toMatch(AREA);
    const recap = done.slice(done.indexOf('HOST RECAP'));
    expect(recap.split('\n').slice(0, 6)).toEqual([
      'HOST RECAP (5 hosts)',
      '  h01  ok=2  changed=0  failed=0  unreachable=0  skipped=0',
      // max_failed: 3 lets the run go on, so the failed host runs `check` too.
      '  h02  ok=1  changed=0  failed=1  unreachable=0  skipped=0',
      '  h03  ok=2  changed=0  failed=0  unreachable=0  skipped=0',
      '  h04  ok=2  changed=0  failed=0  unreachable=0  skipped=0',
      '  h00  ok=0  changed=0  failed=0  unreachable=2  skipped=0',
    ]);
    expect(done).toMatch(/disk full on \/var/);
  });
});
