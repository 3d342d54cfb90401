import { AppError } from "@zhengyun/db/errors";
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/**
 * Keyset paging. A cursor is the sort key of the last row a page gave out (its ordering columns,
 * the row's id last to break ties), base64url JSON. The next page is the rows whose key compares
 * beyond it, so rows inserted or removed between pages neither repeat nor push others out.
 */
export type KeyValue = string | number;
/** How a cursor's values are checked before they reach SQL: a uuid is a uuid, a number an integer. */
export type KeyKind = "string" | "number" | "uuid";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const fits = (kind: KeyKind, v: unknown) =>
  kind === "number" ? Number.isSafeInteger(v) : typeof v === "string" && v.length <= 500 && (kind === "string" || UUID.test(v));

export function encodeKeys(values: readonly KeyValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** The key a cursor carries, checked against the kinds of the list's ordering columns. */
export function decodeKeys(cursor: string | undefined, kinds: readonly KeyKind[]): KeyValue[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === kinds.length && kinds.every((k, i) => fits(k, value[i]))) return value as KeyValue[];
  } catch {
    // falls through to the error below
  }
  throw new AppError("INVALID_INPUT", "cursor: not a cursor this list gave out", { field: "cursor" });
}

/**
 * The rows after `key` in the order of `columns` (all ascending, or all descending): a row
 * comparison PostgreSQL answers from a matching index.
 */
export function afterKey(columns: readonly SQLWrapper[], key: readonly KeyValue[] | undefined, direction: "asc" | "desc" = "asc"): SQL | undefined {
  if (!key) return undefined;
  const left = sql.join(
    columns.map((c) => sql`${c}`),
    sql`, `,
  );
  const right = sql.join(
    key.map((v) => sql`${v}`),
    sql`, `,
  );
  return direction === "asc" ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`;
}

/** The page of `rows` (fetched with limit + 1) and the cursor for the next one, or null at the end. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => readonly KeyValue[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeKeys(key(last)) : null };
}
