import { describe, expect, it } from 'vitest';
import { checkScript, parseTemplate, renderTemplate } from '../../../src/expr/index.js';
import { shellLayout } from '../../../src/expr/shell-check.js';
import { context, locate, NASTY, renderShell, sh, template } from './helpers.js';

const SHELLS = ['/bin/sh', '/usr/bin/bash'];

/** The diagnostics `validate` reports for a `run:` script. */
function check(text: string): { code: string; message: string; col: number; hint?: string }[] {
  const r = parseTemplate(text, locate);
  if (!r.template) throw new Error(`not a template: ${text}`);
  return checkScript(r.template, r.starts, locate).map((d) => ({
    code: d.code,
    message: d.message,
    col: d.span.col,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
  }));
}

function placements(text: string): string[] {
  return shellLayout(template(text)).holes.map((h) => h.placement?.kind ?? 'refused');
}

describe('positions proven safe', () => {
  it.each([
    ['echo ${{ vars.x }}', 'bare'],
    ['echo pre-${{ vars.x }}-post', 'bare'],
    ['echo "a ${{ vars.x }}"', 'double'],
    ["echo 'a ${{ vars.x }}'", 'single'],
    ['echo "$(printf %s ${{ vars.x }})"', 'bare'],
    ['X=`printf %s ${{ vars.x }}`', 'bare'],
    ["cat <<'EOF'\n${{ vars.x }}\nEOF", 'heredoc'],
    ['cat <<"EOF"\n${{ vars.x }}\nEOF', 'heredoc'],
    ['X=${{ vars.x }}; echo "$X"', 'bare'],
    ['echo $(( 1 << 2 )); echo ${{ vars.x }}', 'bare'],
    ['for v in ${{ vars.x }}; do :; done', 'bare'],
    ['case ${{ vars.x }} in *) :;; esac', 'bare'],
    ['[[ ${{ vars.x }} == a ]]', 'bare'],
    ['[[ -n "${{ vars.x }}" ]]', 'double'],
    ['local -r X=${{ vars.x }}', 'bare'],
    ['readonly X="${{ vars.x }}"', 'double'],
    ['export X=${{ vars.x }}', 'bare'],
    ['echo \\$${{ vars.x }}', 'bare'],
    ['# a comment\necho ${{ vars.x }}', 'bare'],
  ])('%j → %s', (text, kind) => {
    expect(check(text)).toEqual([]);
    expect(placements(text)).toEqual([kind]);
  });
});

describe('refused positions (issue 9 items 1-6 and issue 10)', () => {
  it.each([
    ['echo "${FOO:-${{ vars.x }}}"', 'parameter expansion'],
    ['echo "${FOO:=${{ vars.x }}}"', 'parameter expansion'],
    ['echo ${FOO:+${{ vars.x }}}', 'parameter expansion'],
    ['echo "${FOO:-${BAR:-${{ vars.x }}}}"', 'parameter expansion'],
    ['cat <<EOF\nhost: $(echo ${{ vars.x }})\nEOF', 'unquoted here-document'],
    ['cat <<EOF\n${{ vars.x }}\nEOF', 'unquoted here-document'],
    ['echo $(( ${{ vars.n }} + 1 ))', 'arithmetic'],
    ['echo build-$(date +%Y)#${{ vars.x }}', 'reads as a comment'],
    ["echo $'${{ vars.x }}'", "`$'…'`"],
    ['echo "`# ${{ vars.x }}`"', 'comment'],
    ['echo $[ ${{ vars.x }} ]', 'arithmetic'],
    ['echo $${{ vars.count }}', 'right after a `$`'],
    ['echo "$${{ vars.count }}"', 'right after a `$`'],
    ['echo \\${{ vars.x }}', 'right after a `\\`'],
    ['# ${{ vars.x }}', 'inside a comment'],
    ['${{ vars.x }}() { :; }', 'function'],
    ['${{ vars.x }}=1 cmd', 'assignment'],
    ['echo "`printf %s \\"${{ vars.x }}\\"`"', 'backticks'],
    ['echo "`printf %s \'${{ vars.x }}\'`"', 'backticks within double quotes'],
    ['echo $"${{ vars.x }}"', 'translated'],
    ["cat <<-'END'\n\t${{ vars.x }}\nEND", 'leading tabs'],
    // bash evaluates these operands as arithmetic or variable names: `a[$(cmd)]` runs cmd, quoted or not
    ['[[ ${{ vars.x }} -eq 1 ]]', 'arithmetic comparison'],
    ['[[ 1 -lt ${{ vars.x }} ]]', 'arithmetic comparison'],
    ['[[ ! ${{ vars.x }} -gt 1 ]]', 'arithmetic comparison'],
    ['[[ -v ${{ vars.x }} ]]', 'variable name'],
    ['declare -i n=${{ vars.x }}', "by the variable's attributes"],
    ['typeset -i n=${{ vars.x }}', "by the variable's attributes"],
    ['declare -n r=${{ vars.x }}', "by the variable's attributes"],
    ['declare -a a=${{ vars.x }}', 'array assignment'],
    ['declare a=${{ vars.x }}', 'array assignment'],
    ['local -ri n="${{ vars.x }}"', '`-i`'],
    ['local -a a="${{ vars.x }}"', '`-a`'],
    ['readonly -A a=${{ vars.x }}', '`-A`'],
  ])('%j is refused (%s)', (text, fragment) => {
    const [d, ...rest] = check(text);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'unsafe-template' });
    expect(d?.message).toContain(fragment);
    expect(d?.hint).toMatch(
      /env: \{ [A-Z_]+: "\$\{\{ (vars\.[a-z]+|int\(vars\.[a-z]+\)) \}\}" \}.*"\$[A-Z_]+"/,
    );
  });

  it('points at the ${{ }} and names the env fix', () => {
    expect(check('echo "${FOO:-${{ vars.db_host }}}"')).toEqual([
      {
        code: 'unsafe-template',
        col: 14,
        message:
          '`${{ vars.db_host }}` is inside a parameter expansion `${…}` (an operand such as `${X:-…}`): no quoting can keep a value there from becoming shell syntax',
        hint: 'pass the value through env (`env: { DB_HOST: "${{ vars.db_host }}" }`) and write "$DB_HOST" in the script',
      },
    ]);
  });

  it('offers int() in the env fix where bash evaluates the value as arithmetic or a name', () => {
    for (const text of [
      'echo $(( ${{ vars.n }} + 1 ))',
      '[[ ${{ vars.n }} -gt 2 ]]',
      'declare -i n=${{ vars.n }}',
    ])
      expect(check(text)[0]?.hint).toContain('`env: { N: "${{ int(vars.n) }}" }`');
    expect(check('echo "${A:-${{ vars.n }}}"')[0]?.hint).toContain('`env: { N: "${{ vars.n }}" }`');
  });

  it('refuses bash-only syntax, which /bin/sh (dash) reads otherwise', () => {
    expect(check('echo ${a[${{ vars.i }}]}')).toMatchObject([{ code: 'shell-syntax', col: 9 }]);
    expect(check('cat <<< ${{ vars.x }}')).toMatchObject([{ code: 'shell-syntax' }]);
  });

  it('refuses a script that does not parse, at the place the parser stopped', () => {
    const [d, ...rest] = check('echo "${FOO:-${{ vars.x }}" ; echo');
    expect(rest).toEqual([]);
    expect(d?.code).toBe('shell-syntax');
    expect(d?.message).toContain('POSIX sh (reached EOF without closing quote');
  });

  it('refuses a here-document delimiter, as unparseable or unsafe', () => {
    const [d] = check('cat <<${{ vars.x }}\nx\n');
    expect(d?.message).toContain("unclosed here-document '${{ }}'");
    expect(check('cat <<${{ vars.x }}\nx\nTaskerValue1x')).toMatchObject([{ code: 'unsafe-template' }]);
  });

  it('checks nothing in a script without values, or with raw() values only', () => {
    expect(check('echo "${FOO:-$(( 1 +')).toEqual([]);
    expect(check('echo $(( ${{ raw(vars.n) }} + 1 ))')).toEqual([]);
  });

  it('the runner refuses what validation refuses, with the same message', () => {
    const r = renderTemplate(
      template('echo $(( ${{ vars.n }} + 1 ))'),
      context({ vars: { n: '1' } }),
      'shell',
    );
    expect(r).toMatchObject({ ok: false, error: { span: { col: 10 } } });
    expect(!r.ok && r.error.message).toContain('arithmetic');
  });
});

describe('quoting', () => {
  it.each([
    ['echo ${{ vars.x }}', "it's", "echo 'it'\\''s'"],
    ['echo ${{ vars.x }}', 'safe-word_1.2/x:y=z@a%b+c', 'echo safe-word_1.2/x:y=z@a%b+c'],
    ['echo ${{ vars.x }}', 'a,b', "echo 'a,b'"],
    ['echo ${{ vars.x }}', '3', 'echo 3'],
    ['echo ${{ vars.x }}>f', '3', "echo '3'>f"],
    ['echo 2${{ vars.x }}', '3', "echo 2'3'"],
    ['${{ vars.x }} arg', 'if', "'if' arg"],
    ['echo i${{ vars.x }}', 'f', "echo i'f'"],
    ['echo ${{ vars.x }}', '', "echo ''"],
    ['echo "${{ vars.x }}"', 'a"$b`c\\', 'echo "a\\"\\$b\\`c\\\\"'],
    ["echo 'v=${{ vars.x }}'", "it's", "echo 'v=it'\\''s'"],
    ['X=`printf %s ${{ vars.x }}`', "a'$b", "X=`printf %s 'a'\\\\''\\$b'`"],
  ])('%s with %j → %s', (text, x, expected) => {
    expect(renderShell(text, x)).toBe(expected);
  });
});

describe('real shells print the exact value', () => {
  const contexts = [
    ['bare', 'printf %s ${{ vars.x }}', (x: string) => x],
    ['double', 'printf %s "${{ vars.x }}"', (x: string) => x],
    ['single', "printf %s 'v=${{ vars.x }}'", (x: string) => `v=${x}`],
    ['double, glued', 'printf %s "<${{ vars.x }}>"', (x: string) => `<${x}>`],
    ['bare, glued', 'printf %s a${{ vars.x }}b', (x: string) => `a${x}b`],
    ['twice', 'printf %s ${{ vars.x }}"${{ vars.x }}"\'${{ vars.x }}\'', (x: string) => x + x + x],
    ['in $( )', 'printf %s "$(printf %s ${{ vars.x }})"', (x: string) => x.replace(/\n+$/, '')],
    ['in backticks', 'X=`printf %s ${{ vars.x }}`; printf %s "$X"', (x: string) => x.replace(/\n+$/, '')],
    ['after a comment', "# don't\nprintf %s ${{ vars.x }}", (x: string) => x],
    ['after $(( << ))', 'printf %s $((1 << 2))${{ vars.x }}', (x: string) => `4${x}`],
    ['quoted here-document', "cat <<'END'\n[${{ vars.x }}]\nEND", (x: string) => `[${x}]\n`],
  ] as const;

  for (const shell of SHELLS) {
    for (const [name, text, expected] of contexts) {
      it(`${shell}: ${name}`, () => {
        for (const x of NASTY) {
          const script = renderShell(text, x);
          expect({ x, ...sh(script, shell) }).toEqual({ x, stdout: expected(x), status: 0 });
        }
      });
    }
  }

  it('refuses at run time a value that would end a quoted here-document early', () => {
    for (const [text, x] of [
      ["cat <<'END'\n${{ vars.x }}\nEND", 'a\nEND\ntouch /tmp/never'],
      ["cat <<'END'\n${{ vars.x }}\nEND", 'END'],
      ["cat <<'END'\nE${{ vars.x }}\nEND", 'ND'],
    ]) {
      const r = renderTemplate(template(text!), context({ vars: { x: x! } }), 'shell');
      expect(!r.ok && r.error.message).toContain('here-document early');
    }
    expect(renderShell("cat <<'END'\n${{ vars.x }}\nEND", 'xEND\n END')).toBe("cat <<'END'\nxEND\n END\nEND");
    // Found by the fuzzer: dash 0.5.12 drops the first byte of `é` in a body line `ENDé`.
    const mangled = renderTemplate(
      template("cat <<'END'\n${{ vars.x }}\nEND"),
      context({ vars: { x: 'ENDé' } }),
      'shell',
    );
    expect(!mangled.ok && mangled.error.message).toContain('read wrongly');
    // Found by the fuzzer (seed 20261205): bash 5.2 ends a body inside "$( )" at a line `END$(cmd)`
    // and runs cmd; dash also mangles a non-ASCII character after a part of the delimiter (`Eé`).
    for (const [text, x] of [
      ['printf %s "$(cat <<\'END\'\n${{ vars.x }}\nEND\n)"', 'ENDa[$(touch /tmp/never)]'],
      ["cat <<'END'\n${{ vars.x }}\nEND", 'ENDx'],
      ["cat <<'END'\n${{ vars.x }}\nEND", 'ok\nE\u00e9'],
      ['cat <<\\END\n${{ vars.x }}\nEND', 'EN\u2a6d'],
    ]) {
      const r = renderTemplate(template(text!), context({ vars: { x: x! } }), 'shell');
      expect(!r.ok && r.error.message).toContain('read wrongly');
    }
  });

  it('inserts raw() verbatim and re-checks the other values against its text', () => {
    const r = renderTemplate(
      template('printf %s ${{ raw(vars.x) }}'),
      context({ vars: { x: '"a b" | tr a-z A-Z' } }),
      'shell',
    );
    expect(r).toEqual({ ok: true, value: 'printf %s "a b" | tr a-z A-Z' });
    expect(sh(r.ok ? r.value : '').stdout).toBe('A B');
    const opened = renderTemplate(
      template('printf %s ${{ raw(vars.open) }}${{ vars.x }}"'),
      context({ vars: { open: '"<', x: '$(id)' } }),
      'shell',
    );
    expect(opened.ok && sh(opened.value).stdout).toBe('<$(id)');
    const arith = renderTemplate(
      template('echo ${{ raw(vars.open) }}${{ vars.x }} ))'),
      context({ vars: { open: '$((', x: '1' } }),
      'shell',
    );
    expect(!arith.ok && arith.error.message).toContain('arithmetic');
  });

  it('leaves the shell its own $VAR, ${VAR} and $(…)', () => {
    const script = renderShell('X=1; printf %s "$X ${X} $(printf %s ok)" ${{ vars.x }}', ' $X');
    expect(sh(script).stdout).toBe('1 1 ok $X');
  });

  it('renders lists as one argument with newline-separated items', () => {
    const r = renderTemplate(
      template('printf %s ${{ vars.x }}'),
      context({ vars: { x: ['a b', "c'd"] } }),
      'shell',
    );
    expect(r.ok && sh(r.value).stdout).toBe("a b\nc'd");
  });
});
