// Paged lists from the command line: one page (--limit, --cursor), or every page (--all).

import { InvalidArgumentError } from "commander";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageOptions {
  limit: number;
  cursor?: string | undefined;
  all?: boolean | undefined;
}

/** Parses `--limit`: a whole number from 1 to `max` (the list's largest page). */
export const limitOption = (max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`1–${max}`);
  return n;
};

/** One page from `cursor`, or, with `all`, every page from there on, as one page with no cursor. */
export async function collect<T>(fetchPage: (cursor: string | undefined, limit: number) => Promise<Page<T>>, opts: PageOptions): Promise<Page<T>> {
  if (!opts.all) return fetchPage(opts.cursor, opts.limit);
  const items: T[] = [];
  let cursor = opts.cursor;
  do {
    const page = await fetchPage(cursor, opts.limit);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { items, nextCursor: null };
}

/**
 * A page of a list that pages by number, newest first (requests, the approval queue): the cursor
 * is the last number seen, and a full page means more may follow.
 */
export function byNumber<T extends { number: number }>(rows: T[], limit: number): Page<T> {
  const last = rows[rows.length - 1];
  return { items: rows, nextCursor: rows.length >= limit && last ? String(last.number) : null };
}
