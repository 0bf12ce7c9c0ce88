import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Translation } from './translate.js';

/** The translation as YAML text, with the task file's comments above their steps. */
export function emitYaml(t: Translation, source: string): string {
  const doc = new Document(t.doc);
  const header = [` Converted from ${source} by \`tasker convert\`.`, ...t.header.map((c) => ` ${c}`)];
  doc.commentBefore = header.join('\n');
  attachComments(doc.contents, t.notes);
  return doc.toString({ lineWidth: 0 });
}

function attachComments(node: Node | null, notes: Translation['notes']): void {
  if (isSeq(node)) {
    for (const item of node.items) attachComments(item as Node, notes);
    return;
  }
  if (!isMap(node)) return;
  const id = node.get('id', true);
  const note = isScalar(id) && typeof id.value === 'string' ? notes.get(id.value) : undefined;
  if (note && note.comments.length > 0) node.commentBefore = note.comments.map((c) => ` ${c}`).join('\n');
  for (const pair of node.items) {
    // argv lists read best on one line: `run: [echo, hi]`.
    if (isScalar(pair.key) && pair.key.value === 'run' && isSeq(pair.value)) pair.value.flow = true;
    attachComments(pair.value as Node, notes);
  }
}

/** YAML line (1-based) → task-file line, from the `id:` of the step each YAML line belongs to. */
export function lineMap(yaml: string, notes: Translation['notes']): (line: number) => number {
  const map: number[] = [];
  let current = 1;
  let section = '';
  const lines = yaml.split('\n');
  for (const [i, text] of lines.entries()) {
    section = /^(\w+):/.exec(text)?.[1] ?? section;
    const m = /^\s*(?:- )?id: (\S+)$/.exec(text);
    const v = section === 'vars' ? /^ {2}(\w+):/.exec(text) : null;
    const note = m ? notes.get(m[1]!) : v ? notes.get(`var:${v[1]}`) : undefined;
    if (note) current = note.line;
    map[i + 1] = current;
  }
  // A step's comment and `- ` line come before its `id:`: give them the step's line too.
  for (let i = lines.length; i >= 1; i--) {
    if (/^\s*(#|- (?!id:))/.test(lines[i - 1] ?? '') && map[i + 1] !== undefined) map[i] = map[i + 1]!;
  }
  return (line) => map[line] ?? 1;
}
