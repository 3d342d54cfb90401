import { describe, expect, it } from "vitest";
import { addressesIn, growth, overruns, percentOf, remaining } from "./resources.js";

describe("headroom arithmetic", () => {
  const ceiling = { vcpu: 256, memory_gib: 1024, segments: 16 };
  const held = { vcpu: 250, memory_gib: 100, segments: 16 };

  it("remaining is ceiling minus held, never negative", () => {
    expect(remaining(ceiling, { ...held, vcpu: 300 })).toMatchObject({ vcpu: 0, memory_gib: 924, segments: 0, egress_mbps: 0 });
  });

  it("only growth over the current grant counts", () => {
    expect(growth({ vcpu: 8 }, { vcpu: 10, memory_gib: 4 })).toMatchObject({ vcpu: -2, memory_gib: -4 });
    expect(overruns(ceiling, held, { vcpu: 16 }, { vcpu: 10 })).toEqual([]);
  });

  it("names each resource a request would push over its ceiling", () => {
    expect(overruns(ceiling, held, { vcpu: 8, memory_gib: 8, segments: 1 }, {})).toEqual([
      { resource: "vcpu", growth: 8, remaining: 6 },
      { resource: "segments", growth: 1, remaining: 0 },
    ]);
  });

  it("lets a shrinking change through even above the ceiling", () => {
    expect(overruns({ vcpu: 4 }, { vcpu: 10 }, { vcpu: 8 }, { vcpu: 10 })).toEqual([]);
  });

  it("computes shares and block sizes", () => {
    expect(percentOf(16, 256)).toBe(6.3);
    expect(percentOf(1, 0)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
    expect(addressesIn(24)).toBe(256);
    expect(addressesIn(28)).toBe(16);
  });
});
