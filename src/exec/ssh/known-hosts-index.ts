import { stat } from 'node:fs/promises';
import {
  classifyLookup,
  hostFieldMatches,
  knownHostName,
  parseKnownHosts,
  readKnownHostsFile,
  type HostKeyLookup,
  type KnownHostEntry,
} from './known-hosts.js';

/**
 * The entries of known_hosts files, indexed: a host field made only of literal names goes into a
 * map by name (lower case, as OpenSSH compares); globs, negations and hashed names are scanned. A
 * 256-host fan-out against a 256-line file did 65,536 pattern compilations without it.
 */
export interface KnownHostsIndex {
  /** Every entry in file and line order. */
  all: readonly KnownHostEntry[];
  byName: ReadonlyMap<string, readonly KnownHostEntry[]>;
  /** Entries that need pattern matching, in order. */
  scanned: readonly KnownHostEntry[];
  /** `@revoked` entries (matched by key whatever the host). */
  revoked: readonly KnownHostEntry[];
}

const isLiteral = (p: string): boolean => p !== '' && !/[*?!]/.test(p) && !p.startsWith('|');

export function indexEntries(all: readonly KnownHostEntry[]): KnownHostsIndex {
  const byName = new Map<string, KnownHostEntry[]>();
  const scanned: KnownHostEntry[] = [];
  for (const e of all) {
    if (!e.patterns.every(isLiteral)) {
      scanned.push(e);
      continue;
    }
    for (const name of new Set(e.patterns.map((p) => p.toLowerCase()))) {
      const list = byName.get(name);
      if (list) list.push(e);
      else byName.set(name, [e]);
    }
  }
  return { all, byName, scanned, revoked: all.filter((e) => e.marker === 'revoked') };
}

interface Cached {
  /** `ino:size:mtime`: any write by another process changes it. */
  stamp: string | undefined;
  /** When the stamp was last taken: a fan-out's 256 handshakes share one stat, not one each. */
  checkedAt: number;
  /** In flight or done: the fan-out's first connections all look at once and share one parse. */
  entries: Promise<readonly KnownHostEntry[]>;
}

/** How long a file's parse is trusted without a new stat; our own appends forget it at once. */
const RECHECK_MS = 1000;
const files = new Map<string, Cached>();
interface Loaded {
  stamp: string | undefined;
  entries: readonly KnownHostEntry[];
}

async function stampOf(file: string): Promise<string | undefined> {
  try {
    const st = await stat(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    // Missing or unreadable: the read says which (and fails closed when unreadable).
    return undefined;
  }
}

async function parseFile(file: string): Promise<readonly KnownHostEntry[]> {
  const text = await readKnownHostsFile(file);
  return text === undefined ? [] : parseKnownHosts(text, file);
}

async function load(file: string, previous: Cached | undefined): Promise<Loaded> {
  const stamp = await stampOf(file);
  if (stamp !== undefined && previous?.stamp === stamp) return { stamp, entries: await previous.entries };
  return { stamp, entries: await parseFile(file) };
}

/** A file's entries: parsed again only when it changed (checked at most once a second) or we appended to it. */
function entriesOf(file: string): Promise<readonly KnownHostEntry[]> {
  const hit = files.get(file);
  if (hit && Date.now() - hit.checkedAt < RECHECK_MS) return hit.entries;
  const loading = load(file, hit);
  const entry: Cached = { stamp: undefined, checkedAt: Date.now(), entries: loading.then((l) => l.entries) };
  files.set(file, entry);
  loading.then(
    (l) => void (entry.stamp = l.stamp),
    () => void (files.get(file) === entry && files.delete(file)),
  );
  return entry.entries;
}

/** After an accept-new append: the next look reads the file again. */
export function forgetKnownHostsFile(file: string): void {
  files.delete(file);
}

const indexes = new Map<string, { parts: readonly (readonly KnownHostEntry[])[]; index: KnownHostsIndex }>();

/** Every existing file's entries (missing files skipped, unreadable ones throw), indexed; reused while no file changed. */
async function loadKnownHosts(list: readonly string[]): Promise<KnownHostsIndex> {
  const parts = await Promise.all(list.map(entriesOf));
  const key = list.join('\0');
  const hit = indexes.get(key);
  if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i])) return hit.index;
  const index = indexEntries(parts.flat());
  indexes.set(key, { parts, index });
  return index;
}

/** The entries that name `name` (a literal field or a matching pattern), in file and line order. */
export function entriesFor(index: KnownHostsIndex, name: string): KnownHostEntry[] {
  const literal = index.byName.get(name.toLowerCase()) ?? [];
  const matched = index.scanned.filter((e) => hostFieldMatches(e.patterns, name));
  const mine = [...literal, ...matched].filter((e) => e.marker !== 'cert-authority');
  if (literal.length === 0 || matched.length === 0) return mine;
  const order = new Map(index.all.map((e, i) => [e, i]));
  return mine.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

/** Reads every existing file (missing files are skipped, unreadable ones throw) and looks the host up. */
export async function lookupHostKey(
  list: readonly string[],
  host: string,
  port: number,
  presented: Buffer,
): Promise<HostKeyLookup> {
  const index = await loadKnownHosts(list);
  return classifyLookup(entriesFor(index, knownHostName(host, port)), index.revoked, presented);
}
