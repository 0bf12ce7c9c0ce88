/**
 * Reads fields of a record that came from outside the process (a database row, a JSON file) and
 * checks each value's type instead of casting it; a wrong value throws naming the place and field.
 */
export class CheckedRecord {
  constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    /** Where the record came from, e.g. `history.db step_instances seq 12`. */
    readonly where: string,
  ) {}

  string(key: string): string {
    const v = this.value[key];
    return typeof v === 'string' ? v : this.fail(key, 'a string');
  }

  stringOrNull(key: string): string | null {
    const v = this.value[key];
    return v === null || v === undefined ? null : this.string(key);
  }

  integer(key: string): number {
    const v = this.value[key];
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : this.fail(key, 'an integer');
  }

  integerOrNull(key: string): number | null {
    const v = this.value[key];
    return v === null || v === undefined ? null : this.integer(key);
  }

  boolOrNull(key: string): boolean | null {
    const v = this.value[key];
    return v === null || v === undefined || typeof v === 'boolean'
      ? (v ?? null)
      : this.fail(key, 'true or false');
  }

  oneOf<const T extends string>(key: string, allowed: readonly T[]): T {
    const v = this.value[key];
    return (allowed as readonly unknown[]).includes(v)
      ? (v as T)
      : this.fail(key, `one of ${allowed.join(', ')}`);
  }

  oneOfOrNull<const T extends string>(key: string, allowed: readonly T[]): T | null {
    const v = this.value[key];
    return v === null || v === undefined ? null : this.oneOf(key, allowed);
  }

  /** A nested record or null. */
  recordOrNull(key: string): CheckedRecord | null {
    const v = this.value[key];
    if (v === null || v === undefined) return null;
    return isRecord(v) ? new CheckedRecord(v, `${this.where} ${key}`) : this.fail(key, 'an object');
  }

  list(key: string): unknown[] {
    const v = this.value[key];
    return Array.isArray(v) ? (v as unknown[]) : this.fail(key, 'a list');
  }

  stringList(key: string): string[] {
    const items = this.list(key);
    return items.every((x): x is string => typeof x === 'string')
      ? items
      : this.fail(key, 'a list of strings');
  }

  fail(key: string, expected: string, value: unknown = this.value[key]): never {
    throw new TypeError(`${this.where}: ${key} is ${describe(value)}, expected ${expected}`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  const text = JSON.stringify(v) ?? typeof v;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
