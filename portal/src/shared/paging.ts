import { z } from "zod";

/** Keyset paging: an opaque cursor from the previous page (its `nextCursor`). */
export const cursor = z.string().max(2000).optional();

/** Keyset paging: an opaque cursor from the previous page and a page size. */
export const pageInput = {
  cursor,
  limit: z.number().int().min(1).max(500).default(50),
};

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
