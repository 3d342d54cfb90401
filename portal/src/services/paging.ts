import { AppError } from "@zhengyun/db/errors";

/** A keyset position: the sort value of the last row seen and its id, to break ties. */
export interface Position {
  key: string | number;
  id: string;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.key, p.id])).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && (typeof value[0] === "string" || typeof value[0] === "number") && typeof value[1] === "string") {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new AppError("INVALID_INPUT", "cursor: not a cursor this list gave out", { field: "cursor" });
}

/**
 * The page of `rows` (fetched with limit + 1) and the cursor for the next one: `position` names
 * the last row's keyset position.
 */
export function toPage<T>(rows: T[], limit: number, position: (row: T) => Position): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null };
}
