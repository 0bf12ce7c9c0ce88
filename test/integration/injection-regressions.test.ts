import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { startSshd } from '../helpers/sshd.js';
import { hostsBlock } from './fanout-helpers.js';

// Issue 9 items 1-6 and issue 10's `$${{`: each of these let `--var x='$(touch MARK)'` run, or
// validated and then failed at run time. Now `validate` refuses the position, and `run` refuses it
// before any step starts.

function workflow(dir: string, script: string, hosts = ''): string {
  const file = join(dir, 'wf.yaml');
  const steps = `steps:\n  - id: first\n    run: echo started > ${join(dir, 'started')}\n  - id: it\n${hosts}    run: ${JSON.stringify(script)}\n`;
  writeFileSync(file, `version: 1\nvars:\n  x: safe\n  n: "1"\n  count: "3"\n${steps}`);
  return file;
}

const REFUSED: ReadonlyArray<[string, string]> = [
  ['1: parameter expansion operand', 'echo "${FOO:-${{ vars.x }}}"'],
  ['1: := operand', 'echo "${FOO:=${{ vars.x }}}"'],
  ['1: :+ operand', 'echo ${FOO:+${{ vars.x }}}'],
  ['1: nested ${}', 'echo "${FOO:-${BAR:-${{ vars.x }}}}"'],
  ['3: $( ) in an unquoted here-document', 'cat <<EOF\nhost: $(echo ${{ vars.x }})\nEOF'],
  ['3: backticks in an unquoted here-document', 'cat <<EOF\nhost: `echo ${{ vars.x }}`\nEOF'],
  ['4: arithmetic', 'echo $(( ${{ vars.n }} + 1 ))'],
  ['5: # glued after $( )', 'echo build-$(date +%Y)#${{ vars.x }}'],
  ["6: $'…'", "echo $'a ${{ vars.x }} b'"],
  ['6: comment in backticks', 'echo "`# ${{ vars.x }}`"'],
  ['6: $[ ]', 'echo $[ ${{ vars.n }} + 1 ]'],
  ['6: array subscript', 'echo "${a[${{ vars.n }}]}"'],
  ['issue 10: $${{ }}', 'echo $${{ vars.count }}'],
  // bash evaluates these as arithmetic or a name, quoted or not: n='a[$(touch MARK)]' ran touch
  ['review: [[ -eq ]] operand', '[[ ${{ vars.n }} -eq 1 ]] && echo one'],
  ['review: [[ -v ]] name', '[[ -v ${{ vars.x }} ]] && echo set'],
  ['review: declare -i value', 'declare -i n=${{ vars.n }}; echo $n'],
  ['review: declare -a value', 'declare -a a=${{ vars.x }}; echo "$a"'],
];

describe('values that used to run as commands are refused before anything runs', () => {
  it.each(REFUSED)('item %s', async (_, script) => {
    const dir = tempDir();
    const file = workflow(dir, script);
    const v = await runCli(['validate', file]);
    expect(v.code, v.stdout + v.stderr).toBe(2);
    expect(v.stdout + v.stderr).toMatch(/unsafe-template|shell-syntax/);
    expect(v.stdout + v.stderr).toMatch(/env/);
    const x = `$(touch ${dir}/MARK)`;
    const r = await runCli(['run', file, '--output', 'plain', '--var', `x=${x}`, '--var', `n=${x}`]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(existsSync(join(dir, 'MARK'))).toBe(false);
    expect(existsSync(join(dir, 'started'))).toBe(false);
  });
});

const HOSTILE = ['$(touch MARK)', '; touch MARK', "'; touch MARK; '", '`touch MARK`', 'a\nEOF\ntouch MARK'];

describe('item 2: `$(( 1 << 2 ))` before a value is arithmetic, not a here-document', () => {
  it('validates, and the value arrives exactly under /bin/sh', async () => {
    const dir = tempDir();
    const file = workflow(dir, `cd ${dir}\necho $(( 1 << 2 )) > /dev/null\nprintf '%s' \${{ vars.x }} > out`);
    expect((await runCli(['validate', file])).code).toBe(0);
    for (const x of HOSTILE) {
      const r = await runCli(['run', file, '--output', 'plain', '--var', `x=${x}`]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(x);
      expect(existsSync(join(dir, 'MARK'))).toBe(false);
    }
  });
});

const sshd = await startSshd({ hosts: 1 });
afterAll(async () => sshd?.stop());

describe.skipIf(!sshd)('over SSH', () => {
  const host = '    host: h01\n';
  const wf = (dir: string, script: string): string => {
    const file = workflow(dir, script, host);
    writeFileSync(file, readFileSync(file, 'utf8').replace('steps:\n', `${hostsBlock(sshd!, 1)}steps:\n`));
    return file;
  };

  it('refuses item 1 before connecting', async () => {
    const dir = tempDir();
    const file = wf(dir, 'echo "${FOO:-${{ vars.x }}}"');
    const r = await runCli([
      'run',
      file,
      '--known-hosts',
      sshd!.knownHostsFile,
      '--var',
      `x=$(touch ${dir}/MARK)`,
    ]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'MARK'))).toBe(false);
  });

  it('delivers hostile values exactly through the remote command line', async () => {
    const dir = tempDir();
    const file = wf(dir, `cd /tmp && printf '%s' \${{ vars.x }} "\${{ vars.x }}" '\${{ vars.x }}'`);
    for (const x of HOSTILE) {
      const json = join(dir, 'r.json');
      const args = ['run', file, '--known-hosts', sshd!.knownHostsFile, '--var', `x=${x}`, '--json', json];
      const r = await runCli(args);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(json, 'utf8')) as {
        steps: { id: string; stdoutFile?: string }[];
      };
      const step = report.steps.find((s) => s.id === 'it');
      expect(readFileSync(step!.stdoutFile!, 'utf8')).toBe(x + x + x);
      expect(existsSync('/tmp/MARK')).toBe(false);
    }
  });
});
