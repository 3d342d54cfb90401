import { describe, expect, it } from "vitest";
import { matchesFilter } from "./filter.js";

describe("table filter", () => {
  const row = { number: 42, systemName: "政务服务网上办事大厅", departmentName: "扬州市公安局", requesterName: "GAJ 经办人" };
  it("matches number, system, unit or requester, ignoring case and spaces", () => {
    for (const q of ["#42", "42", "办事大厅", "公安", "gaj", "  "]) expect(matchesFilter(row, q), q).toBe(true);
    expect(matchesFilter(row, "税务")).toBe(false);
  });
});
