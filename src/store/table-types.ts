/** The two databases the history lives in; each renders the table description (tables.ts) as its DDL. */
export type Dialect = 'sqlite' | 'pg';

/**
 * The schema version that adds a table, column or index in each database (SQLite `user_version`,
 * PostgreSQL `tasker.schema_version`); a database left out does not have it.
 */
export type Since = Partial<Record<Dialect, number>>;

/**
 * What a column holds, whatever the database calls it: `int64` (durations, counters, slot numbers)
 * and `epoch-ms` are BIGINT in PostgreSQL, `bool01` is 0/1 in both, `serial` is the table's
 * autoincrementing key. `bytes`, `bool` and `server-time` (the database server's clock) have only a
 * PostgreSQL form: no SQLite table uses them.
 */
export type LogicalType =
  'text' | 'int' | 'int64' | 'epoch-ms' | 'bool01' | 'serial' | 'bytes' | 'bool' | 'server-time';

/** `text?`: the column may be NULL; without `?` it is NOT NULL. */
export type ColumnType = LogicalType | `${LogicalType}?`;

export interface ColumnOptions {
  /** The column alone is the primary key (a composite key is the table's `primaryKey`). */
  primaryKey?: true;
  default?: string | number | boolean;
  /** `binary`: compared byte by byte, as SQLite does by default ("C" in PostgreSQL): run ids. */
  collate?: 'binary';
  references?: { table: string; column: string; onDelete: 'cascade' };
  /** A CHECK expression over the column, in SQL both databases read alike. */
  check?: string;
  /** When it was added, where that differs from its table's `since`. */
  since?: Since;
}

export interface Column extends ColumnOptions {
  name: string;
  type: LogicalType;
  nullable: boolean;
}

interface IndexColumn {
  column: string;
  desc: boolean;
}

export interface Index {
  name: string;
  columns: IndexColumn[];
  since: Since;
}

export interface Table {
  name: string;
  since: Since;
  /** In the order the tables have them: a column added later goes last (ALTER TABLE appends). */
  columns: Column[];
  primaryKey?: string[];
  indexes: Index[];
}

export function col(name: string, type: ColumnType, options: ColumnOptions = {}): Column {
  const nullable = type.endsWith('?');
  return { name, type: (nullable ? type.slice(0, -1) : type) as LogicalType, nullable, ...options };
}

/** `columns` as in SQL: `'started_at DESC'`. */
export function index(name: string, columns: string[], since: Since): Index {
  return {
    name,
    columns: columns.map((c) => {
      const [column = '', order] = c.split(' ');
      return { column, desc: order === 'DESC' };
    }),
    since,
  };
}

/** Where a column comes in: its own `since` where it has one for the database, else its table's. */
export function columnSince(table: Table, column: Column, dialect: Dialect): number | undefined {
  return column.since?.[dialect] ?? table.since[dialect];
}
