import type { Database } from 'better-sqlite3';
import pg from 'pg';

/**
 * A database's tables as its catalog says they are, in one form for SQLite (PRAGMA table_info,
 * index_list, foreign_key_list) and PostgreSQL (information_schema, pg_index, pg_constraint), so a
 * test compares them with the table description (src/store/tables.ts) or with each other.
 */
export interface ColumnShape {
  name: string;
  /** As the catalog names it: SQLite's declared type, PostgreSQL's `data_type`. */
  type: string;
  notNull: boolean;
  /** Without casts (`'[]'::text` is `'[]'`); a sequence's nextval is `serial`. */
  default: string | null;
  /** PostgreSQL's collation name where one is set; always null in SQLite (its default, BINARY). */
  collation: string | null;
  /** Whether a CHECK constraint names this column (PostgreSQL; always false in SQLite). */
  check: boolean;
}

export interface TableShape {
  columns: ColumnShape[];
  primaryKey: string[];
  /** `name (a DESC, b)`, sorted. */
  indexes: string[];
  /** `col -> table.col ON DELETE CASCADE`, sorted. */
  foreignKeys: string[];
  /** SQLite's AUTOINCREMENT (a row in sqlite_sequence); PostgreSQL: whether a column is a serial. */
  autoincrement: boolean;
}

export type SchemaShape = Record<string, TableShape>;

const pragma = <T>(db: Database, sql: string): T[] => db.prepare(sql).all() as T[];

function sqliteTable(db: Database, name: string, sql: string): TableShape {
  type Info = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
  const info = pragma<Info>(db, `PRAGMA table_info(${name})`);
  const indexes = pragma<{ name: string; origin: string }>(db, `PRAGMA index_list(${name})`)
    .filter((ix) => ix.origin === 'c')
    .map((ix) => {
      const cols = pragma<{ name: string; desc: number; key: number }>(db, `PRAGMA index_xinfo(${ix.name})`)
        .filter((c) => c.key === 1)
        .map((c) => (c.desc ? `${c.name} DESC` : c.name));
      return `${ix.name} (${cols.join(', ')})`;
    });
  type Fk = { table: string; from: string; to: string; on_delete: string };
  const fks = pragma<Fk>(db, `PRAGMA foreign_key_list(${name})`).map(
    (f) => `${f.from} -> ${f.table}.${f.to} ON DELETE ${f.on_delete}`,
  );
  return {
    columns: info.map((c) => ({
      name: c.name,
      type: c.type,
      notNull: c.notnull === 1,
      default: c.dflt_value,
      collation: null,
      check: false,
    })),
    primaryKey: info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name),
    indexes: indexes.sort(),
    foreignKeys: fks.sort(),
    autoincrement: /\bAUTOINCREMENT\b/i.test(sql),
  };
}

export function sqliteShape(db: Database): SchemaShape {
  const tables = pragma<{ name: string; sql: string }>(
    db,
    `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  );
  return Object.fromEntries(tables.map((t) => [t.name, sqliteTable(db, t.name, t.sql)]));
}

/**
 * SQLite's stored CREATE statements with all white space removed: what the catalog pragmas do not
 * show (CHECK, COLLATE, AUTOINCREMENT, the exact DDL an ALTER TABLE appended) compared as text.
 */
export function sqliteDdl(db: Database): string[] {
  return pragma<{ sql: string }>(db, `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name`).map(
    (r) => r.sql.replace(/\s+/g, ''),
  );
}

const COLUMNS = `SELECT table_name AS t, column_name AS c, data_type, is_nullable, column_default, collation_name
  FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`;
const PRIMARY_KEYS = `SELECT kcu.table_name AS t, kcu.column_name AS c
  FROM information_schema.table_constraints tc
  JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
  WHERE tc.table_schema = $1 AND tc.constraint_type = 'PRIMARY KEY' ORDER BY kcu.ordinal_position`;
const FOREIGN_KEYS = `SELECT kcu.table_name AS t, kcu.column_name AS c, ccu.table_name AS rt, ccu.column_name AS rc, rc.delete_rule
  FROM information_schema.referential_constraints rc
  JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
  JOIN information_schema.constraint_column_usage ccu USING (constraint_schema, constraint_name)
  WHERE rc.constraint_schema = $1`;
const CHECKS = `SELECT t.relname AS t, a.attname AS c FROM pg_constraint k
  JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
  WHERE n.nspname = $1 AND k.contype = 'c'`;
const INDEXES = `SELECT t.relname AS t, i.relname AS name, pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1 AND NOT x.indisprimary`;

type Row = Record<string, string | null>;

function pgDefault(text: string | null): string | null {
  if (text === null) return null;
  if (text.startsWith('nextval(')) return 'serial';
  return text.replace(/::[a-z ]+$/, '');
}

/** Every table of `schema` but the migration runner's own `schema_version`. */
export async function pgShape(url: string, schema = 'tasker'): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string): Promise<Row[]> => (await client.query<Row>(sql, [schema])).rows;
    const [columns, pks, fks, checks, indexes] = [
      await q(COLUMNS),
      await q(PRIMARY_KEYS),
      await q(FOREIGN_KEYS),
      await q(CHECKS),
      await q(INDEXES),
    ];
    const shape: SchemaShape = {};
    const table = (t: string): TableShape =>
      (shape[t] ??= { columns: [], primaryKey: [], indexes: [], foreignKeys: [], autoincrement: false });
    const checked = new Set(checks.map((r) => `${r.t}.${r.c}`));
    for (const r of columns) {
      const t = table(r.t!);
      const dflt = pgDefault(r.column_default ?? null);
      if (dflt === 'serial') t.autoincrement = true;
      t.columns.push({
        name: r.c!,
        type: r.data_type!,
        notNull: r.is_nullable === 'NO',
        default: dflt,
        collation: r.collation_name ?? null,
        check: checked.has(`${r.t}.${r.c}`),
      });
    }
    for (const r of pks) table(r.t!).primaryKey.push(r.c!);
    for (const r of fks) table(r.t!).foreignKeys.push(`${r.c} -> ${r.rt}.${r.rc} ON DELETE ${r.delete_rule}`);
    for (const r of indexes)
      table(r.t!).indexes.push(`${r.name} (${/USING \w+ \((.*)\)$/.exec(r.def!)?.[1]})`);
    for (const t of Object.values(shape)) [t.indexes, t.foreignKeys].forEach((l) => l.sort());
    delete shape.schema_version;
    return shape;
  } finally {
    await client.end();
  }
}
