import { describe, expect, it } from "vitest";
import { impactLines } from "./impact.js";

describe("capacity impact of approving a request", () => {
  it("shows held before and after against the ceiling, per growing resource", () => {
    const lines = impactLines(
      { vcpu: 8, memory_gib: 16, segments: 1 },
      {},
      { ceiling: { vcpu: 256, memory_gib: 20, segments: 4 }, held: { vcpu: 100, memory_gib: 10, segments: 1 } },
    );
    expect(lines).toEqual([
      { resource: "vcpu", growth: 8, held: 100, after: 108, ceiling: 256, over: false },
      { resource: "memory_gib", growth: 16, held: 10, after: 26, ceiling: 20, over: true },
      { resource: "segments", growth: 1, held: 1, after: 2, ceiling: 4, over: false },
    ]);
  });

  it("counts a change from what the system holds, and a shrink is never over", () => {
    const lines = impactLines({ vcpu: 4 }, { vcpu: 8 }, { ceiling: { vcpu: 2 }, held: { vcpu: 8 } });
    expect(lines).toEqual([{ resource: "vcpu", growth: -4, held: 8, after: 4, ceiling: 2, over: false }]);
  });
});
