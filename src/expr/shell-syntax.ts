import { createRequire } from 'node:module';

/**
 * A shell script parsed by mvdan/sh (the `mvdan-sh` package, the parser shfmt uses), flattened into
 * plain nodes: the placement of `${{ }}` values is decided on this tree, never by scanning text.
 * Offsets are UTF-8 byte offsets into the script, as the parser reports them.
 */
export interface ShellNode {
  type: string;
  start: number;
  end: number;
  /** Index of the parent in the node list; -1 for the root. */
  parent: number;
  /** `Backquotes` of a CmdSubst, `Dollar` of SglQuoted/DblQuoted ($'…', $"…"). */
  flag: boolean;
  /** Redirect: where the here-document body starts (-1 if none). Assign: where its value starts. */
  at: number;
}

export type ShellVariant = 'posix' | 'bash';

export type ShellParse =
  { ok: true; nodes: ShellNode[] } | { ok: false; message: string; line: number; col: number };

// The few members of mvdan-sh's GopherJS objects this module reads.
interface GoPos {
  Offset(): number;
}
interface GoNode {
  Pos(): GoPos;
  End(): GoPos;
  Backquotes?: boolean;
  Dollar?: boolean | GoPos;
  Hdoc?: GoNode | null;
  Value?: GoNode | string | null;
}
interface GoParser {
  Parse(text: string, name: string): GoNode;
}
interface MvdanSh {
  syntax: {
    LangPOSIX: number;
    LangBash: number;
    NewParser(...options: unknown[]): GoParser;
    Variant(lang: number): unknown;
    KeepComments(on: boolean): unknown;
    Walk(node: GoNode, fn: (node: GoNode | null) => boolean): void;
    NodeType(node: GoNode): string;
  };
}

let parsers: Record<ShellVariant, GoParser> | undefined;
let sh: MvdanSh | undefined;

// Loaded on first use (~50 ms): workflows without `${{ }}` in a script never pay for it.
function load(): { sh: MvdanSh; parsers: Record<ShellVariant, GoParser> } {
  if (!sh || !parsers) {
    sh = createRequire(import.meta.url)('mvdan-sh') as MvdanSh;
    const { syntax } = sh;
    parsers = {
      posix: syntax.NewParser(syntax.Variant(syntax.LangPOSIX), syntax.KeepComments(true)),
      bash: syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true)),
    };
  }
  return { sh, parsers };
}

export function parseShell(script: string, variant: ShellVariant): ShellParse {
  const { sh: lib, parsers: p } = load();
  let root: GoNode;
  try {
    root = p[variant].Parse(script, '');
  } catch (e) {
    return parseError(e);
  }
  const nodes: ShellNode[] = [];
  const stack: number[] = [];
  lib.syntax.Walk(root, (node) => {
    if (node === null) {
      stack.pop();
      return true;
    }
    const type = lib.syntax.NodeType(node);
    nodes.push({
      type,
      start: node.Pos().Offset(),
      end: node.End().Offset(),
      parent: stack[stack.length - 1] ?? -1,
      flag: node.Backquotes === true || node.Dollar === true,
      at: attachmentOf(type, node),
    });
    stack.push(nodes.length - 1);
    return true;
  });
  return { ok: true, nodes };
}

function attachmentOf(type: string, node: GoNode): number {
  if (type === 'Redirect') return node.Hdoc ? node.Hdoc.Pos().Offset() : -1;
  if (type === 'Assign' && node.Value && typeof node.Value === 'object') return node.Value.Pos().Offset();
  return -1;
}

function parseError(e: unknown): ShellParse {
  const text =
    typeof e === 'object' && e !== null && 'Error' in e && typeof e.Error === 'function'
      ? String((e.Error as () => unknown).call(e))
      : String(e);
  const m = /^(?:[^:]*:)?(\d+):(\d+): ([\s\S]*)$/.exec(text);
  if (!m) return { ok: false, message: text, line: 1, col: 1 };
  return { ok: false, message: m[3] ?? text, line: Number(m[1]), col: Number(m[2]) };
}
