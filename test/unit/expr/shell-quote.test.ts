import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/expr/index.js';
import { shellContextAt } from '../../../src/expr/shell-context.js';
import { context, NASTY, renderShell, sh, template } from './helpers.js';

const SHELLS = ['/bin/sh', '/usr/bin/bash'];

describe('quoted text', () => {
  it.each([
    ['echo ${{ vars.x }}', "it's", "echo 'it'\\''s'"],
    ['echo ${{ vars.x }}', 'safe-word_1.2/x:y=z@a%b+c,d', 'echo safe-word_1.2/x:y=z@a%b+c,d'],
    ['echo ${{ vars.x }}', '', "echo ''"],
    ['echo "${{ vars.x }}"', 'a"$b`c\\', 'echo "a\\"\\$b\\`c\\\\"'],
    ["echo 'v=${{ vars.x }}'", "it's", "echo 'v=it'\\''s'"],
    ['echo ${{ vars.x }}', 'a b', "echo 'a b'"],
  ])('%s with %j → %s', (text, x, expected) => {
    expect(renderShell(text, x)).toBe(expected);
  });
});

describe('shell context detection', () => {
  it.each([
    ['echo ', 'bare'],
    ['echo "a ', 'double'],
    ["echo 'a ", 'single'],
    ['echo \'a\' "b" ', 'bare'],
    ['echo "it\'s ', 'double'],
    ['echo \'say "', 'single'],
    ['echo \\" ', 'bare'],
    ['echo "$(printf \'', 'single'],
    ['echo "$(printf "', 'double'],
    ['echo "$(cmd) ', 'double'],
    ['echo $(cmd "a)" ', 'bare'],
    ['echo ${X:-"', 'double'],
    ["# don't ", 'comment'],
    ["echo a#b '", 'single'],
    ["# it's\necho ", 'bare'],
    ['echo "#" ', 'bare'],
  ])('%j is %s', (prefix, kind) => {
    expect(shellContextAt(prefix).kind).toBe(kind);
  });

  it('finds here-document bodies', () => {
    expect(shellContextAt('cat <<EOF\nline ')).toMatchObject({
      kind: 'heredoc',
      quoted: false,
      delimiter: 'EOF',
    });
    expect(shellContextAt("cat <<'END' > f\n")).toMatchObject({
      kind: 'heredoc',
      quoted: true,
      delimiter: 'END',
    });
    expect(shellContextAt('cat <<-"X"\n\tbody\n')).toMatchObject({
      kind: 'heredoc',
      quoted: true,
      delimiter: 'X',
    });
    expect(shellContextAt('cat <<EOF\nbody\nEOF\necho ')).toMatchObject({ kind: 'bare' });
    expect(shellContextAt('cat <<EOF')).toMatchObject({ kind: 'bare' });
  });

  it('treats a here-string as a bare word, not a here-document', () => {
    expect(shellContextAt('cat <<< ')).toMatchObject({ kind: 'bare' });
    expect(sh(renderShell('cat <<< ${{ vars.x }}', "a'b $(x)"), '/usr/bin/bash').stdout).toBe("a'b $(x)\n");
  });

  it('reads a here-document word that arrives in later text', () => {
    const r = renderTemplate(
      template('cat <${{ raw(vars.x) }}\n${{ vars.y }}\nEOF\n'),
      context({ vars: { x: '<EOF', y: '$(id)' } }),
      'shell',
    );
    expect(r.ok && sh(r.value).stdout).toBe('$(id)\n');
  });

  it('counts backtick nesting', () => {
    expect(shellContextAt('echo `printf ')).toEqual({ kind: 'bare', backticks: 1 });
    expect(shellContextAt('echo `printf "')).toEqual({ kind: 'double', backticks: 1 });
  });

  it('detects a dangling backslash or dollar', () => {
    expect(shellContextAt('echo \\')).toEqual({ kind: 'dangling', what: '\\' });
    expect(shellContextAt('echo "$')).toEqual({ kind: 'dangling', what: '$' });
    expect(shellContextAt('echo \\$')).toMatchObject({ kind: 'bare' });
    expect(shellContextAt("echo '$")).toMatchObject({ kind: 'single' });
    expect(shellContextAt('cat <<EOF\ncost $')).toEqual({ kind: 'dangling', what: '$' });
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
    ['in backticks', 'printf %s "`printf %s ${{ vars.x }}`"', (x: string) => x.replace(/\n+$/, '')],
    ['after a comment', "# don't ${{ vars.x }}\nprintf %s ${{ vars.x }}", (x: string) => x],
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

  it('writes here-documents exactly', () => {
    for (const quoted of [false, true]) {
      const delim = quoted ? "'END'" : 'END';
      for (const x of NASTY) {
        const script = renderShell(`cat <<${delim}\n[\${{ vars.x }}]\nEND\n`, x);
        expect({ x, ...sh(script) }).toEqual({ x, stdout: `[${x}]\n`, status: 0 });
      }
    }
  });

  it('refuses a value that could end a here-document', () => {
    const r = renderTemplate(
      template('cat <<END\n${{ vars.x }}\nEND'),
      context({ vars: { x: 'a\nEND\nrm -rf /' } }),
      'shell',
    );
    expect(r).toMatchObject({ ok: false, error: { span: { col: 11 } } });
  });

  it('keeps a newline in a comment from running the rest', () => {
    const script = renderShell('# note ${{ vars.x }}\nprintf done', 'x\nprintf INJECTED');
    expect(sh(script)).toEqual({ stdout: 'done', status: 0 });
  });

  it('inserts raw() verbatim', () => {
    const r = renderTemplate(
      template('printf %s ${{ raw(vars.x) }}'),
      context({ vars: { x: '"a b" | tr a-z A-Z' } }),
      'shell',
    );
    expect(r).toEqual({ ok: true, value: 'printf %s "a b" | tr a-z A-Z' });
    expect(sh(r.ok ? r.value : '').stdout).toBe('A B');
  });

  it('quotes after a raw() part for the context the raw text leaves', () => {
    const r = renderTemplate(
      template('printf %s ${{ raw(vars.open) }}${{ vars.x }}"'),
      context({ vars: { open: '"<', x: '$(id)' } }),
      'shell',
    );
    expect(r.ok && sh(r.value).stdout).toBe('<$(id)');
  });

  it('refuses to render after a dangling $ or backslash', () => {
    for (const text of ['echo $${{ vars.x }}', 'echo "\\${{ vars.x }}"', 'echo \\${{ vars.x }}']) {
      const r = renderTemplate(template(text), context({ vars: { x: '(id)' } }), 'shell');
      expect(r).toMatchObject({ ok: false, error: { span: { line: 3 } } });
    }
    expect(renderShell('echo \\$${{ vars.x }}', 'a b')).toBe("echo \\$'a b'");
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
