import { describe, expect, it } from "vitest";
import { requestInput } from "../../../../shared/schemas.js";
import { stepOfField, targetWithSegments, toRequestInput, type WizardValues } from "./model.js";

const level3External = { id: "7b3c1f52-6a55-4b39-9a3e-1f0c2d9e8a11", level: 3, zone: "external" as const };
const values: WizardValues = {
  systemId: level3External.id,
  resources: { vcpu: 4, memory_gib: 8, storage_standard_gib: 50, storage_encrypted_gib: 100, egress_mbps: 20 },
  segmentPrefix: 26,
  egress: [
    { host: " api.example.gov.cn ", port: 443 },
    { host: "", port: 80 },
  ],
  expiresAt: { toDate: () => new Date("2030-01-01T00:00:00Z") },
  justification: "  社保业务上云  ",
};

describe("the wizard's request", () => {
  it("keeps only what the system's level and zone allow, and is valid for the server", () => {
    const input = toRequestInput(values, level3External, "new", true);
    expect(input.resources).toEqual({ vcpu: 4, memory_gib: 8, storage_encrypted_gib: 100, egress_mbps: 20 });
    expect(input.egress).toEqual([{ host: "api.example.gov.cn", port: 443 }]);
    expect(input.justification).toBe("社保业务上云");
    expect(requestInput.safeParse(input).success).toBe(true);
  });

  it("drops the allow-list and egress bandwidth for internal-zone and level 4 systems", () => {
    for (const system of [
      { ...level3External, zone: "internal" as const },
      { ...level3External, level: 4 },
    ]) {
      const input = toRequestInput(values, system, "change", false);
      expect(input.egress).toEqual([]);
      expect(input.resources.egress_mbps).toBeUndefined();
    }
  });

  it("counts a new segment on top of the live ones", () => {
    expect(targetWithSegments(values, level3External, 2).segments).toBe(3);
    expect(targetWithSegments({ ...values, segmentPrefix: 0 }, level3External, 2).segments).toBe(2);
  });

  it("sends a server field error to the step that shows it", () => {
    expect(stepOfField("resources.vcpu")).toBe("compute");
    expect(stepOfField("resources.storage_ssd_gib")).toBe("storage");
    expect(stepOfField("resources.egress_mbps")).toBe("network");
    expect(stepOfField("egress.0.host")).toBe("network");
    expect(stepOfField("justification")).toBe("term");
    expect(stepOfField("kind")).toBe("compute");
  });
});
