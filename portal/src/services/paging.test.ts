import { AppError } from "@zhengyun/db/errors";
import { describe, expect, it } from "vitest";
import { decodeKeys, encodeKeys, toPage } from "./paging.js";

const ID = "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b";

describe("keyset cursors", () => {
  it("round-trip a key", () => {
    expect(decodeKeys(encodeKeys(["2026-01-01 00:00:00.123456+00", ID]), ["string", "uuid"])).toEqual(["2026-01-01 00:00:00.123456+00", ID]);
    expect(decodeKeys(encodeKeys([2, "市政务服务", "业务系统", ID]), ["number", "string", "string", "uuid"])).toEqual([2, "市政务服务", "业务系统", ID]);
    expect(decodeKeys(undefined, ["uuid"])).toBeUndefined();
  });
  it("refuse what they did not give out, before it reaches SQL", () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const bad of [
      "",
      "x",
      "%%%",
      b64([1]),
      b64({ a: 1 }),
      b64(["a", "not-a-uuid"]), // the id is checked as a uuid
      b64([ID]), // too few values
      b64(["a", ID, "extra"]),
      b64([1.5, "a", "b", ID]), // a number key is an integer
      b64(["x".repeat(501), ID]),
    ]) {
      expect(() => decodeKeys(bad, ["string", "uuid"])).toThrow(AppError);
    }
    expect(() => decodeKeys("x", ["uuid"])).toThrow(expect.objectContaining({ code: "INVALID_INPUT", details: { field: "cursor" } }));
  });
  it("cut a page and point past its last row only when more follow", () => {
    const rows = [1, 2, 3].map((n) => ({ n, id: String(n) }));
    const more = toPage(rows, 2, (r) => [r.n, r.id]);
    expect(more.items).toHaveLength(2);
    expect(decodeKeys(more.nextCursor ?? undefined, ["number", "string"])).toEqual([2, "2"]);
    expect(toPage(rows, 3, (r) => [r.n, r.id]).nextCursor).toBeNull();
  });
});
