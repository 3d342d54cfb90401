import { CONTROLS } from "@zhengyun/policies/definitions";
import { describe, expect, it } from "vitest";
import { policyCatalog } from "../../services/policies-service.js";
import { changesAt, controlsAt, exemptibleAt, isLevel, parameterText } from "./catalog.js";

// The catalog exactly as policies.catalog serves it (the same service, without HTTP).
const catalog = policyCatalog();
const control = (id: string) => catalog.controls.find((c) => c.id === id)!;

describe("reading the policy catalog", () => {
  it("lists the controls that apply at a level, in catalog order", () => {
    for (const level of [1, 2, 3, 4] as const) {
      expect(controlsAt(catalog, level).map((c) => c.id)).toEqual(CONTROLS.filter((c) => c.appliesAt(level)).map((c) => c.id));
    }
  });

  it("offers for exemption only exemptible controls that apply at the system's level", () => {
    for (const level of [1, 2, 3, 4] as const) {
      const offered = exemptibleAt(catalog, level).map((c) => c.id);
      expect(offered).toEqual(CONTROLS.filter((c) => c.exemptible && c.appliesAt(level)).map((c) => c.id));
      for (const c of CONTROLS.filter((x) => !x.exemptible)) expect(offered).not.toContain(c.id);
    }
    expect(exemptibleAt(catalog, 1).map((c) => c.id)).not.toContain("digest-pinning");
    expect(exemptibleAt(catalog, 3).map((c) => c.id)).toContain("digest-pinning");
  });

  it("marks where a control's demand changes from the level below", () => {
    expect(changesAt(control("psa"), 1)).toBe(false);
    expect(changesAt(control("psa"), 2)).toBe(true);
    expect(changesAt(control("psa"), 4)).toBe(false);
    // Newly applying counts as a change; not applying does not.
    expect(changesAt(control("digest-pinning"), 3)).toBe(true);
    expect(changesAt(control("digest-pinning"), 2)).toBe(false);
    expect(changesAt(control("dedicated-nodes"), 4)).toBe(true);
    expect(changesAt(control("network-default-deny"), 4)).toBe(false);
  });

  it("writes parameter values as text", () => {
    const words = { yes: "是", no: "否" };
    expect(parameterText(["registry.a/", "mirror.b/"], words)).toBe("registry.a/, mirror.b/");
    expect(parameterText(true, words)).toBe("是");
    expect(parameterText(4, words)).toBe("4");
    expect(isLevel(3)).toBe(true);
    expect(isLevel(5)).toBe(false);
  });
});
