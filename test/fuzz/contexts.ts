/**
 * Script contexts for the differential injection fuzzer. Each is a `run:` template with `${{ vars.x }}`
 * somewhere, written so that the script leaves the value's text in the file `out`; `expect` says
 * what `out` must then hold. `must` marks positions tasker promises to accept.
 */
export interface FuzzContext {
  name: string;
  script: string;
  expect: (x: string) => string;
  must: boolean;
}

const X = '${{ vars.x }}';
const same = (x: string): string => x;
const stripped = (x: string): string => x.replace(/\n+$/, '');
const line = (x: string): string => `${x}\n`;
const ctx = (name: string, script: string, expect = same, must = true): FuzzContext => ({
  name,
  script,
  expect,
  must,
});
const refusedOk = (name: string, script: string, expect = same): FuzzContext =>
  ctx(name, script, expect, false);

export const CONTEXTS: readonly FuzzContext[] = [
  ctx('bare word', `printf '%s' ${X} > out`),
  ctx('double quotes', `printf '%s' "${X}" > out`),
  ctx('single quotes', `printf '%s' '${X}' > out`),
  ctx('part of a bare word', `printf '%s' pre-${X}-post > out`, (x) => `pre-${x}-post`),
  ctx('digit before', `printf '%s' 2${X} > out`, (x) => `2${x}`),
  ctx('glued to a redirection', `printf '%s' ${X}>out`),
  ctx('inside double quotes with text', `printf '%s' "a ${X} b" > out`, (x) => `a ${x} b`),
  ctx('inside single quotes with text', `printf '%s' 'a ${X} b' > out`, (x) => `a ${x} b`),
  ctx('single quotes inside double', `printf '%s' "'${X}'" > out`, (x) => `'${x}'`),
  ctx('double quotes inside single', `printf '%s' '"${X}"' > out`, (x) => `"${x}"`),
  ctx('twice in one word', `printf '%s' "${X}"${X} > out`, (x) => x + x),
  ctx('two arguments', `printf '%s' ${X} "${X}" > out`, (x) => x + x),
  ctx('assignment', `X=${X}; printf '%s' "$X" > out`),
  ctx('quoted assignment', `X="${X}"; printf '%s' "$X" > out`),
  ctx('export', `export X=${X}; printf '%s' "$X" > out`),
  ctx('prefix assignment', `X=${X} sh -c 'printf "%s" "$X"' > out`),
  ctx('$( ) bare', `printf '%s' "$(printf '%s' ${X})" > out`, stripped),
  ctx('$( ) double', `printf '%s' "$(printf '%s' "${X}")" > out`, stripped),
  ctx('$( ) single', `printf '%s' "$(printf '%s' '${X}')" > out`, stripped),
  ctx('nested $( )', `printf '%s' "$(printf '%s' "$(printf '%s' ${X})")" > out`, stripped),
  ctx('backticks bare', `printf '%s' "\`printf '%s' ${X}\`" > out`, stripped, false),
  ctx('unquoted backticks bare', `X=\`printf '%s' ${X}\`; printf '%s' "$X" > out`, stripped),
  ctx('unquoted backticks single', `X=\`printf '%s' '${X}'\`; printf '%s' "$X" > out`, stripped),
  ctx('backticks double', `printf '%s' "\`printf '%s' \\"${X}\\"\`" > out`, stripped, false),
  ctx('backticks single', `printf '%s' "\`printf '%s' '${X}'\`" > out`, stripped, false),
  ctx('unquoted backticks double', `X=\`printf '%s' "${X}"\`; printf '%s' "$X" > out`, stripped),
  ctx(
    '$( ) in backticks',
    `printf '%s' "\`printf '%s' \\"\\$(printf '%s' ${X})\\"\`" > out`,
    stripped,
    false,
  ),
  ctx('backticks in $( )', `printf '%s' "$(printf '%s' "\`printf '%s' ${X}\`")" > out`, stripped, false),
  ctx('quoted here-document', `cat <<'EOF' > out\n${X}\nEOF`, line),
  ctx('double-quoted delimiter', `cat <<"EOF" > out\nbody ${X} end\nEOF`, (x) => `body ${x} end\n`),
  ctx('backslash delimiter', `cat <<\\EOF > out\n${X}${X}\nEOF`, (x) => `${x}${x}\n`),
  refusedOk('<<- here-document', `cat <<-'EOF' > out\n\t${X}\n\tEOF`, line),
  ctx('here-document then code', `cat <<'E1' > out\n${X}\nE1\nprintf '%s' ${X} >> out`, (x) => `${x}\n${x}`),
  ctx('arithmetic earlier', `echo $(( 1 << 2 )) > /dev/null\nprintf '%s' ${X} > out`),
  ctx('$(( << )) in $( )', `: "$(echo $((1<<2)))"; printf '%s' "${X}" > out`),
  ctx('after a comment', `# it's a comment\nprintf '%s' ${X} > out`),
  ctx('comment after', `printf '%s' ${X} > out # trailing "comment`),
  ctx('if block', `if true; then printf '%s' ${X} > out; fi`),
  ctx('subshell', `( printf '%s' "${X}" ) > out`),
  ctx('brace group', `{ printf '%s' '${X}'; } > out`),
  ctx('pipeline', `printf '%s' ${X} | cat > out`),
  ctx('and list', `true && printf '%s' ${X} > out || true`),
  ctx('function argument', `f() { printf '%s' "$1" > out; }; f ${X}`),
  ctx('for list', `for v in ${X}; do printf '%s' "$v" > out; done`),
  ctx('case word', `case ${X} in *) printf '%s' ok > out;; esac`, () => 'ok'),
  ctx('case pattern', `case "$0" in ${X}) :;; esac; printf '%s' "${X}" > out`),
  ctx('test command', `[ "${X}" = ${X} ]; printf '%s' ${X} > out`),
  ctx('continuation line', `printf '%s' \\\n${X} > out`),
  ctx('tilde prefix', `printf '%s' ~${X} > out`, (x) => `~${x}`),
  ctx('glob around', `printf '%s' "*"${X}"?" > out`, (x) => `*${x}?`),
  ctx('hash inside a word', `printf '%s' a#${X} > out`, (x) => `a#${x}`),
  ctx('hash after $( )', `printf '%s' build-$(echo 1)#${X} > out`, (x) => `build-1#${x}`, false),
  ctx('hash after quotes', `printf '%s' "a"#${X} > out`, (x) => `a#${x}`, false),
  ctx('$# before', `set --; printf '%s' $#${X} > out`, (x) => `0${x}`),
  ctx('after $1', `set -- a; printf '%s' $1${X} > out`, (x) => `a${x}`),
  ctx('after ${x}', `v=a; printf '%s' \${v}${X} > out`, (x) => `a${x}`),
  ctx('after $(( ))', `printf '%s' $((1+1))${X} > out`, (x) => `2${x}`),
  ctx('here-document in $( )', `printf '%s' "$(cat <<'EOF'\n${X}\nEOF\n)" > out`, stripped),
  ctx('two here-documents', `cat <<'A' > out; cat <<'B' >> out\n${X}\nA\n${X}\nB`, (x) => `${x}\n${x}\n`),
  ctx('comment in $( )', `printf '%s' "$(# a comment )\nprintf '%s' ${X})" > out`, stripped),
  ctx('case in $( )', `printf '%s' "$(case a in a) printf '%s' ${X};; esac)" > out`, stripped),
  ctx(
    'nested backticks',
    `X=\`printf '%s' "\\\`printf '%s' ${X}\\\`"\`; printf '%s' "$X" > out`,
    stripped,
    false,
  ),
  ctx('CRLF script', `printf '%s' ${X} > out;\r\n`, same, false),
  ctx('escaped dollar before', `printf '%s' \\$${X} > out`, (x) => `$${x}`),
  ctx('escaped dollar in double quotes', `printf '%s' "\\$${X}" > out`, (x) => `$${x}`),
  ctx(
    'escaped dollar in backticks',
    `printf '%s' "\`printf '%s' \\\\$${X}\`" > out`,
    (x) => stripped(`$${x}`),
    false,
  ),
  // Refused positions: tasker must reject them (or, if it ever accepts one, run it safely).
  refusedOk('${X:-…}', `printf '%s' "\${FOO:-${X}}" > out`),
  refusedOk('${X:=…}', `printf '%s' "\${FOO:=${X}}" > out`),
  refusedOk('${X:+…} bare', `FOO=1; printf '%s' \${FOO:+${X}} > out`),
  refusedOk('${X-…} quoted inner', `printf '%s' "\${FOO-"${X}"}" > out`),
  refusedOk('nested ${}', `printf '%s' "\${FOO:-\${BAR:-${X}}}" > out`),
  refusedOk('${X#…}', `FOO=abc; printf '%s' "\${FOO#${X}}" > out`, () => 'abc'),
  refusedOk('arithmetic', `printf '%s' $(( ${X} + 1 )) > out`, () => ''),
  refusedOk('$[ ]', `printf '%s' $[ ${X} ] > out`, () => ''),
  refusedOk('(( ))', `(( ${X} )); printf '%s' ok > out`, () => 'ok'),
  refusedOk('array index', `printf '%s' "\${a[${X}]}" > out`, () => ''),
  refusedOk("$'…'", `printf '%s' $'${X}' > out`),
  refusedOk('$"…"', `printf '%s' $"${X}" > out`),
  refusedOk('comment', `# ${X}\nprintf '%s' ok > out`, () => 'ok'),
  refusedOk('comment in backticks', `printf '%s' "\`# ${X}\`" > out`, () => ''),
  refusedOk('unquoted here-document', `cat <<EOF > out\n${X}\nEOF`, line),
  refusedOk(
    '$( ) in unquoted here-document',
    `cat <<EOF > out\nhost: $(printf '%s' ${X})\nEOF`,
    (x) => `host: ${stripped(x)}\n`,
  ),
  refusedOk('here-document delimiter', `cat <<${X} > out\nx\n${X}`),
  refusedOk('after $', `printf '%s' $${X} > out`),
  refusedOk('after backslash', `printf '%s' \\${X} > out`),
  refusedOk('after backslash in double quotes', `printf '%s' "\\${X}" > out`),
  refusedOk('function name', `${X}() { :; }; printf '%s' ok > out`, () => 'ok'),
  refusedOk('assignment name', `${X}=1 true; printf '%s' ok > out`, () => 'ok'),
  refusedOk('for variable', `for ${X} in a; do :; done; printf '%s' ok > out`, () => 'ok'),
  refusedOk('here-string', `cat <<< ${X} > out`, line),
  refusedOk('[[ ]]', `[[ ${X} == ${X} ]]; printf '%s' ${X} > out`),
  refusedOk('unterminated ${', `printf '%s' "\${FOO:-${X}" > out`),
  refusedOk('$(( or $( (', `printf '%s' "$((printf '%s' ${X}) )" > out`, stripped),
  refusedOk('${#…}', `printf '%s' "\${#${X}}" > out`, () => '0'),
  refusedOk('@( ) extglob', `printf '%s' @(${X}) > out`),
  refusedOk('alias-free eval', `printf '%s' "$(printf '%s' ${X} | cat)" > out`, stripped),
  refusedOk('eval-free backslash-newline in quotes', `printf '%s' "a\\\n${X}" > out`, (x) => `a${x}`),
];
