import { AppError } from "@zhengyun/db/errors";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, toPage } from "./paging.js";

describe("keyset cursors", () => {
  it("round-trip a position", () => {
    const p = { key: "2026-01-01T00:00:00.000Z", id: "a" };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    expect(decodeCursor(encodeCursor({ key: 42, id: "b" }))).toEqual({ key: 42, id: "b" });
  });
  it("refuse what they did not give out", () => {
    for (const bad of ["", "x", Buffer.from("[1]").toString("base64url"), Buffer.from('{"a":1}').toString("base64url")]) {
      expect(() => decodeCursor(bad)).toThrow(AppError);
    }
  });
  it("cut a page and point past its last row only when more follow", () => {
    const rows = [1, 2, 3].map((n) => ({ n, id: String(n) }));
    const more = toPage(rows, 2, (r) => ({ key: r.n, id: r.id }));
    expect(more.items).toHaveLength(2);
    expect(decodeCursor(more.nextCursor ?? undefined)).toEqual({ key: 2, id: "2" });
    expect(toPage(rows, 3, (r) => ({ key: r.n, id: r.id })).nextCursor).toBeNull();
  });
});
