import { describe, expect, it } from "vitest";
import { add, delta, shortfalls } from "./quantities.js";

describe("quantities", () => {
  it("adds and subtracts per resource", () => {
    expect(add({ vcpu: 2 }, { vcpu: 3, memory_gib: 4 })).toEqual({ vcpu: 5, memory_gib: 4 });
    expect(delta({ vcpu: 2, memory_gib: 8 }, { vcpu: 4, memory_gib: 8 })).toEqual({ vcpu: -2 });
  });

  it("flags only growth beyond the limit", () => {
    expect(shortfalls({ vcpu: 10, memory_gib: 10 }, { vcpu: 8, memory_gib: 20 }, { vcpu: 2, memory_gib: -5 })).toEqual([]);
    expect(shortfalls({ vcpu: 10 }, { vcpu: 8 }, { vcpu: 3 })).toEqual([{ resource: "vcpu", limit: 10, wouldHold: 11 }]);
    expect(shortfalls({}, {}, { segments: 1 })).toEqual([{ resource: "segments", limit: 0, wouldHold: 1 }]);
  });
});
