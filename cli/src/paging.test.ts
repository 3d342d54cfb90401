import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { byNumber, collect, limitOption, type Page } from "./paging.js";

/** A list of `n` rows served `limit` at a time after the cursor (the last index seen). */
const served = (n: number) => {
  const calls: (string | undefined)[] = [];
  const fetchPage = async (cursor: string | undefined, limit: number): Promise<Page<number>> => {
    calls.push(cursor);
    const from = cursor === undefined ? 0 : Number(cursor) + 1;
    const items = Array.from({ length: Math.max(0, Math.min(limit, n - from)) }, (_, i) => from + i);
    return { items, nextCursor: from + limit < n ? String(from + limit - 1) : null };
  };
  return { calls, fetchPage };
};

describe("paged lists from the command line", () => {
  it("give one page, with the cursor of the next", async () => {
    const list = served(7);
    expect(await collect(list.fetchPage, { limit: 3 })).toEqual({ items: [0, 1, 2], nextCursor: "2" });
    expect(await collect(list.fetchPage, { limit: 3, cursor: "2" })).toEqual({ items: [3, 4, 5], nextCursor: "5" });
  });
  it("with --all walk every page from the cursor on", async () => {
    const list = served(7);
    expect(await collect(list.fetchPage, { limit: 3, all: true })).toEqual({ items: [0, 1, 2, 3, 4, 5, 6], nextCursor: null });
    expect(list.calls).toEqual([undefined, "2", "5"]);
    expect((await collect(served(0).fetchPage, { limit: 3, all: true })).items).toEqual([]);
  });
  it("page lists numbered newest first below the last number seen", () => {
    expect(byNumber([{ number: 9 }, { number: 7 }], 2)).toEqual({ items: [{ number: 9 }, { number: 7 }], nextCursor: "7" });
    expect(byNumber([{ number: 9 }], 2).nextCursor).toBeNull();
  });
  it("refuse a limit outside the list's page sizes", () => {
    expect(limitOption(500)("50")).toBe(50);
    for (const bad of ["0", "501", "2.5", "x", ""]) expect(() => limitOption(500)(bad)).toThrow(InvalidArgumentError);
  });
});
