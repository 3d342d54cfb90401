import { describe, expect, it } from "vitest";
import { levelConflicts } from "./level-fit.js";

describe("level fit", () => {
  it("accepts compute at any level and zone", () => {
    for (const level of [1, 2, 3, 4])
      for (const zone of ["internal", "external"] as const) expect(levelConflicts({ level, zone }, { vcpu: 2, memory_gib: 4 }, 0)).toEqual([]);
  });

  it("names each field the level or zone does not allow", () => {
    expect(levelConflicts({ level: 3, zone: "external" }, { vcpu: 1, storage_standard_gib: 10 }, 0).map((c) => c.field)).toEqual(["resources"]);
    expect(levelConflicts({ level: 4, zone: "external" }, { vcpu: 1 }, 1).map((c) => c.field)).toEqual(["egress"]);
    expect(levelConflicts({ level: 2, zone: "internal" }, { vcpu: 1, egress_mbps: 5 }, 2).map((c) => c.field)).toEqual(["egress", "resources.egress_mbps"]);
    expect(levelConflicts({ level: 2, zone: "external" }, { vcpu: 1, storage_ssd_gib: 5, egress_mbps: 5 }, 2)).toEqual([]);
  });
});
