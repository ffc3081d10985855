// Stored records carry a schema version; an ordered list of migrations upgrades an old record when it is read
// (tldraw's packages/store does the same with its migration sequences). A record written by a newer lab than this
// one is refused with a clear message instead of being misread. Records from before versioning have no version
// field and count as version 1.

export interface Migration {
  /** the version this migration upgrades to (from `to - 1`) */
  to: number;
  /** what changed, for the log */
  note: string;
  up(record: Record<string, unknown>): Record<string, unknown>;
}

export interface RecordSchema<T> {
  /** what the record is, for messages ("node record", "evaluation") */
  name: string;
  /** the version this code writes */
  version: number;
  /** the field holding the version ('schemaVersion'; recipes use 'version') */
  field: string;
  /** ordered by `to`, covering 2..version */
  migrations: readonly Migration[];
  /** the record's type, for the compiler */
  readonly _type?: T;
}

export class RecordVersionError extends Error {
  override name = 'RecordVersionError';
}

export function defineSchema<T>(s: Omit<RecordSchema<T>, '_type'>): RecordSchema<T> {
  for (let v = 2; v <= s.version; v++)
    if (s.migrations[v - 2]?.to !== v) throw new Error(`${s.name}: migrations must be ordered and cover versions 2..${s.version}`);
  return s;
}

/** The record's stored version (1 when it has none). */
export function versionOf(schema: RecordSchema<unknown>, raw: Record<string, unknown>): number {
  const v = raw[schema.field];
  return v === undefined ? 1 : typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : NaN;
}

/** Upgrades a stored record to the current version (a copy; the input is not changed). */
export function migrate<T>(schema: RecordSchema<T>, raw: unknown, where = ''): T {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new RecordVersionError(`${schema.name}${where ? ` (${where})` : ''} is not a JSON object`);
  let rec = raw as Record<string, unknown>;
  const from = versionOf(schema, rec);
  if (Number.isNaN(from))
    throw new RecordVersionError(`${schema.name}${where ? ` (${where})` : ''}: ${schema.field} must be a positive integer, got ${JSON.stringify(rec[schema.field])}`);
  if (from > schema.version)
    throw new RecordVersionError(
      `${schema.name}${where ? ` (${where})` : ''} was written by a newer version of the lab (${schema.field} ${from}; this one reads up to ${schema.version}): update the lab`,
    );
  for (const m of schema.migrations) if (m.to > from) rec = { ...m.up(rec), [schema.field]: m.to };
  return (from === schema.version && rec[schema.field] === undefined ? rec : { ...rec, [schema.field]: schema.version }) as T;
}

/** The record as it is written: stamped with the current version. */
export function stamp<T extends object>(schema: RecordSchema<T>, record: T): T {
  return { ...record, [schema.field]: schema.version };
}
