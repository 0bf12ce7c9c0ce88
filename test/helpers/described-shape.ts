import { TABLES } from '../../src/store/tables.js';
import {
  columnSince,
  type Column,
  type Dialect,
  type LogicalType,
  type Table,
} from '../../src/store/table-types.js';
import type { ColumnShape, SchemaShape, TableShape } from './schema-shape.js';

/**
 * What each database's catalog must say for the table description (src/store/tables.ts), written
 * out here independently of the DDL renderer (src/store/ddl.ts) so a wrong type map fails too.
 */
const CATALOG_TYPES: Record<Dialect, Partial<Record<LogicalType, string>>> = {
  sqlite: {
    text: 'TEXT',
    int: 'INTEGER',
    int64: 'INTEGER',
    'epoch-ms': 'INTEGER',
    bool01: 'INTEGER',
    serial: 'INTEGER',
  },
  pg: {
    text: 'text',
    int: 'integer',
    int64: 'bigint',
    'epoch-ms': 'bigint',
    bool01: 'smallint',
    serial: 'bigint',
    bytes: 'bytea',
    bool: 'boolean',
    'server-time': 'timestamp with time zone',
  },
};

function catalogDefault(c: Column, dialect: Dialect): string | null {
  if (c.type === 'serial') return dialect === 'pg' ? 'serial' : null;
  if (c.default === undefined) return null;
  if (typeof c.default === 'string') return `'${c.default}'`;
  return String(c.default);
}

function columnShape(t: Table, c: Column, dialect: Dialect): ColumnShape {
  const type = CATALOG_TYPES[dialect][c.type];
  if (type === undefined) throw new Error(`${t.name}.${c.name}: ${c.type} has no ${dialect} type`);
  const inKey = c.primaryKey === true || (t.primaryKey ?? []).includes(c.name);
  return {
    name: c.name,
    type,
    // SQLite's own quirk, kept by its released tables: a one-column primary key may hold NULL.
    notNull: dialect === 'pg' ? !c.nullable || inKey : !c.nullable && !c.primaryKey,
    default: catalogDefault(c, dialect),
    collation: dialect === 'pg' && c.collate === 'binary' ? 'C' : null,
    check: dialect === 'pg' && c.check !== undefined,
  };
}

function tableShape(t: Table, dialect: Dialect): TableShape {
  const columns = t.columns.filter((c) => columnSince(t, c, dialect) !== undefined);
  return {
    columns: columns.map((c) => columnShape(t, c, dialect)),
    primaryKey: t.primaryKey ?? columns.filter((c) => c.primaryKey).map((c) => c.name),
    indexes: t.indexes
      .filter((ix) => ix.since[dialect] !== undefined)
      .map(
        (ix) => `${ix.name} (${ix.columns.map((c) => (c.desc ? `${c.column} DESC` : c.column)).join(', ')})`,
      )
      .sort(),
    foreignKeys: columns
      .flatMap((c) =>
        c.references
          ? [
              `${c.name} -> ${c.references.table}.${c.references.column} ON DELETE ${c.references.onDelete.toUpperCase()}`,
            ]
          : [],
      )
      .sort(),
    autoincrement: columns.some((c) => c.type === 'serial'),
  };
}

/** The tables one database has after all its migrations, as the description says. */
export function describedShape(dialect: Dialect): SchemaShape {
  const tables = TABLES.filter((t) => t.since[dialect] !== undefined);
  return Object.fromEntries(tables.map((t) => [t.name, tableShape(t, dialect)]));
}
