import { CONTROLS, LEVELS } from "@zhengyun/policies/definitions";
import { describe, expect, it } from "vitest";
import { exemptionRefusal } from "./policies-service.js";

describe("exemption refusal", () => {
  it("allows every exemptible control at every level where it applies, and nothing else", () => {
    for (const control of CONTROLS)
      for (const level of LEVELS) {
        const refusal = exemptionRefusal(control.id, level);
        if (control.exemptible && control.appliesAt(level)) expect(refusal, `${control.id}@${level}`).toBeNull();
        else expect(refusal, `${control.id}@${level}`).toMatch(/cannot be exempted|does not apply/);
      }
  });

  it("refuses a control the catalog does not have", () => {
    expect(exemptionRefusal("no-such-control", 2)).toMatch(/has no control “no-such-control”/);
  });

  it("names the reason for a control that is never exemptible or absent at the level", () => {
    expect(exemptionRefusal("network-default-deny", 3)).toMatch(/cannot be exempted/);
    expect(exemptionRefusal("digest-pinning", 2)).toMatch(/does not apply at level 2/);
    expect(exemptionRefusal("digest-pinning", 3)).toBeNull();
  });
});
