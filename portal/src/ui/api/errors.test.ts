import { describe, expect, it } from "vitest";
import { describeError, fieldErrors, isUnauthorized, shouldRetry } from "./errors.js";

/** What @trpc/client throws: an Error whose `data` is the server's error shape. */
const trpcError = (message: string, data: Record<string, unknown>) => Object.assign(new Error(message), { data });

describe("describeError", () => {
  it("keeps the server's message and the portal's own code", () => {
    const info = describeError(
      trpcError("超出部门配额上限 / department ceiling exceeded: vcpu 300 > 256", { code: "UNPROCESSABLE_CONTENT", appCode: "CEILING_EXCEEDED" }),
    );
    expect(info).toMatchObject({ code: "UNPROCESSABLE_CONTENT", appCode: "CEILING_EXCEEDED", network: false, fields: [] });
    expect(info.message).toContain("vcpu 300 > 256");
  });

  it("reads zod issues as field errors", () => {
    const info = describeError(
      trpcError("justification: explain why", { code: "BAD_REQUEST", appCode: "INVALID_INPUT", fields: [{ field: "justification", message: "explain why" }] }),
    );
    expect(info.fields).toEqual([{ field: "justification", message: "explain why" }]);
  });

  it("reads an AppError naming one field, without repeating the field in its message", () => {
    expect(fieldErrors({ field: "name" }, "name: your department already has a system named “x”")).toEqual([
      { field: "name", message: "your department already has a system named “x”" },
    ]);
  });

  it("treats a failure without API data as a network failure", () => {
    expect(describeError(new TypeError("Failed to fetch")).network).toBe(true);
  });

  it("ignores malformed field lists", () => {
    expect(fieldErrors([{ field: 1 }, "x", null, { field: "a", message: "b" }], "")).toEqual([{ field: "a", message: "b" }]);
  });
});

describe("session and retries", () => {
  it("recognises an ended session", () => {
    expect(isUnauthorized(trpcError("请先登录", { code: "UNAUTHORIZED" }))).toBe(true);
    expect(isUnauthorized(trpcError("no", { code: "FORBIDDEN" }))).toBe(false);
  });

  it("retries only what a second try may fix, at most twice", () => {
    expect(shouldRetry(0, new TypeError("Failed to fetch"))).toBe(true);
    expect(shouldRetry(0, trpcError("boom", { code: "INTERNAL_SERVER_ERROR" }))).toBe(true);
    expect(shouldRetry(0, trpcError("no", { code: "FORBIDDEN" }))).toBe(false);
    expect(shouldRetry(2, new TypeError("Failed to fetch"))).toBe(false);
  });
});
