import { evidenceReport, type TenantInput } from "@zhengyun/policies";
import { describe, expect, it } from "vitest";
import { evidenceHash } from "./record.js";

const input: TenantInput = {
  system: "zy-ga-0123456789",
  namespace: "zy-ga-0123456789",
  department: "ga",
  level: 3,
  zone: "internal",
  quota: { cpu: "2", memory: "4Gi", storage: { encrypted: "10Gi" } },
  exemptions: [],
  egressAllowList: [],
  now: new Date("2026-11-01T00:00:00Z"),
};

describe("evidenceHash", () => {
  it("is the same for the same evidence generated at different times", () => {
    const a = evidenceReport(input, []);
    const b = evidenceReport({ ...input, now: new Date("2026-11-02T00:00:00Z") }, []);
    expect(a.generatedAt).not.toBe(b.generatedAt);
    expect(evidenceHash(a)).toBe(evidenceHash(b));
  });

  it("changes when a control's state changes", () => {
    const none = evidenceReport(input, []);
    const exempted = evidenceReport(
      { ...input, exemptions: [{ control: "psa", expiresAt: new Date("2026-12-01T00:00:00Z"), grantedBy: "安全员", reason: "迁移" }] },
      [],
    );
    expect(evidenceHash(none)).not.toBe(evidenceHash(exempted));
  });
});
