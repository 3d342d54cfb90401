import { describe, expect, it } from "vitest";
import { type AutoCandidate, type AutoRule, decide, evaluateRule } from "./auto-approval.js";

const rule: AutoRule = { id: "r1", name: "小幅扩容", enabled: true, maxLevel: 2, requireHeadroom: true, maxGrowthPct: 50, minUsagePct: 60, minUsageDays: 7 };
const candidate: AutoCandidate = {
  kind: "change",
  level: 2,
  graded: true,
  current: { vcpu: 8, memory_gib: 16 },
  growth: { vcpu: 2, memory_gib: 4 },
  ceiling: { vcpu: 100, memory_gib: 200, storage_ssd_gib: 500 },
  held: { vcpu: 8, memory_gib: 16 },
  usage: () => ({ vcpu: { days: 7, minShare: 0.8 }, memory_gib: { days: 8, minShare: 0.7 } }),
};
const reasons = (r: AutoRule, c: AutoCandidate) => {
  const v = evaluateRule(r, c);
  return v.approve ? [] : v.reasons;
};

describe("auto-approval rules", () => {
  it("approves a graded level 1–2 change within headroom, growth and measured usage", () => {
    expect(evaluateRule(rule, candidate)).toEqual({ ruleId: "r1", approve: true });
    expect(evaluateRule(rule, { ...candidate, level: 1 }).approve).toBe(true);
  });

  it("never approves level 3 or above, whatever the rule says", () => {
    expect(reasons({ ...rule, maxLevel: 4 }, { ...candidate, level: 3 })).toEqual(["level 3 above 2"]);
    expect(reasons({ ...rule, maxLevel: 1 }, candidate)).toEqual(["level 2 above 1"]);
  });

  it("leaves disabled rules, ungraded systems and releases to people", () => {
    expect(reasons({ ...rule, enabled: false }, candidate)).toEqual(["rule disabled"]);
    expect(reasons(rule, { ...candidate, graded: false })).toEqual(["system not graded"]);
    expect(reasons(rule, { ...candidate, kind: "release", growth: { vcpu: -8 } })).toEqual(["releases are decided by people"]);
  });

  it("refuses growth beyond the department's headroom", () => {
    expect(reasons(rule, { ...candidate, held: { vcpu: 99, memory_gib: 16 } })).toEqual(["vcpu would hold 101 > ceiling 100"]);
    expect(reasons({ ...rule, requireHeadroom: false }, { ...candidate, held: { vcpu: 99, memory_gib: 16 } })).toEqual([]);
  });

  it("bounds growth as a share of the current grant; a resource new to the system is unbounded", () => {
    expect(reasons(rule, { ...candidate, growth: { vcpu: 5 } })).toEqual(["vcpu grows 63% > 50%"]);
    expect(reasons({ ...rule, minUsagePct: null, minUsageDays: null }, { ...candidate, growth: { storage_ssd_gib: 10 } })).toEqual([
      "storage_ssd_gib is new, growth unbounded",
    ]);
    expect(reasons({ ...rule, maxGrowthPct: null }, { ...candidate, growth: { vcpu: 80 } })).toEqual([]);
  });

  it("asks for usage above the share on enough measured days, for the resources that grow", () => {
    expect(reasons(rule, { ...candidate, usage: () => ({ vcpu: { days: 7, minShare: 0.5 }, memory_gib: { days: 7, minShare: 0.9 } }) })).toEqual([
      "vcpu used 50% < 60%",
    ]);
    expect(reasons(rule, { ...candidate, usage: () => ({ vcpu: { days: 3, minShare: 0.9 } }) })).toEqual([
      "vcpu measured on 3 of 7 days",
      "memory_gib measured on 0 of 7 days",
    ]);
    let asked = 0;
    evaluateRule(rule, {
      ...candidate,
      usage: (d) => {
        asked = d;
        return {};
      },
    });
    expect(asked).toBe(7);
  });

  it("the first approving rule decides; every verdict is kept", () => {
    const strict = { ...rule, id: "r0", maxGrowthPct: 1 };
    const { approvedBy, verdicts } = decide([strict, rule], candidate);
    expect(approvedBy?.id).toBe("r1");
    expect(verdicts.map((v) => v.approve)).toEqual([false, true]);
    expect(decide([], candidate).approvedBy).toBeNull();
  });
});
