import {
  columnSince,
  type Column,
  type Dialect,
  type Index,
  type LogicalType,
  type Table,
} from './table-types.js';
import { TABLES } from './tables.js';

/** Each logical type as each database declares it; `undefined`: that database has no such column. */
const SQL_TYPES: Record<LogicalType, Record<Dialect, string | undefined>> = {
  text: { sqlite: 'TEXT', pg: 'TEXT' },
  int: { sqlite: 'INTEGER', pg: 'INTEGER' },
  int64: { sqlite: 'INTEGER', pg: 'BIGINT' },
  'epoch-ms': { sqlite: 'INTEGER', pg: 'BIGINT' },
  bool01: { sqlite: 'INTEGER', pg: 'SMALLINT' },
  serial: { sqlite: 'INTEGER', pg: 'BIGSERIAL' },
  bytes: { sqlite: undefined, pg: 'BYTEA' },
  bool: { sqlite: undefined, pg: 'BOOLEAN' },
  'server-time': { sqlite: undefined, pg: 'TIMESTAMPTZ' },
};

function literal(value: string | number | boolean): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value);
}

function sqlType(table: Table, c: Column, dialect: Dialect): string {
  const type = SQL_TYPES[c.type][dialect];
  if (type === undefined) throw new Error(`${table.name}.${c.name}: type ${c.type} has no ${dialect} form`);
  return type;
}

/** One column's definition, as in CREATE TABLE and ALTER TABLE … ADD COLUMN. */
function columnDef(table: Table, c: Column, dialect: Dialect): string {
  const parts = [c.name, sqlType(table, c, dialect)];
  if (c.collate === 'binary' && dialect === 'pg') parts.push('COLLATE "C"');
  // A primary key column is never NULL in PostgreSQL; SQLite's released tables never said NOT NULL there.
  if (!c.nullable && !c.primaryKey) parts.push('NOT NULL');
  if (c.primaryKey)
    parts.push(c.type === 'serial' && dialect === 'sqlite' ? 'PRIMARY KEY AUTOINCREMENT' : 'PRIMARY KEY');
  if (c.default !== undefined) parts.push(`DEFAULT ${literal(c.default)}`);
  if (c.check !== undefined) parts.push(`CHECK (${c.check})`);
  const ref = c.references;
  if (ref) parts.push(`REFERENCES ${ref.table} (${ref.column}) ON DELETE ${ref.onDelete.toUpperCase()}`);
  return parts.join(' ');
}

function createTable(table: Table, columns: Column[], dialect: Dialect): string {
  const lines = columns.map((c) => columnDef(table, c, dialect));
  if (table.primaryKey) lines.push(`PRIMARY KEY (${table.primaryKey.join(', ')})`);
  return `CREATE TABLE ${table.name} (\n  ${lines.join(',\n  ')}\n);`;
}

function createIndex(table: Table, ix: Index): string {
  const columns = ix.columns.map((c) => (c.desc ? `${c.column} DESC` : c.column)).join(', ');
  return `CREATE INDEX ${ix.name} ON ${table.name} (${columns});`;
}

function tableSteps(table: Table, dialect: Dialect, version: number): string[] {
  const since = table.since[dialect];
  if (since === undefined || since > version) return [];
  const added = table.columns.filter((c) => columnSince(table, c, dialect) === version);
  const early = table.columns.find((c) => (columnSince(table, c, dialect) ?? 0) < since);
  if (early) throw new Error(`${table.name}.${early.name}: added (${dialect}) before its table`);
  const steps =
    since === version
      ? [createTable(table, added, dialect)]
      : added.map((c) => `ALTER TABLE ${table.name} ADD COLUMN ${columnDef(table, c, dialect)};`);
  for (const ix of table.indexes) if (ix.since[dialect] === version) steps.push(createIndex(table, ix));
  return steps;
}

/**
 * The DDL that takes one database from `version - 1` to `version`: the tables, columns and indexes
 * the description adds at that version, in the description's order. A migration entry is this plus
 * whatever released SQL the description cannot say (data moves, triggers, replaced indexes).
 */
export function renderDdl(dialect: Dialect, version: number, tables: readonly Table[] = TABLES): string {
  return tables.flatMap((t) => tableSteps(t, dialect, version)).join('\n');
}
