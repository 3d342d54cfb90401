import { describe, expect, it } from "vitest";
import { confirmsName, type OpenRequest, openRequestOf, releaseBlock } from "./release.js";

const system = { id: "s1", retired: false, holdsResources: true, phase: "ready" };
const request = (over: Partial<OpenRequest> = {}): OpenRequest => ({ id: "r1", number: 7, state: "submitted", kind: "change", systemId: "s1", ...over });

describe("whether a system's resources can be released", () => {
  it("allows a system that holds a grant and has nothing in flight", () => {
    expect(releaseBlock(system, [])).toBeNull();
    expect(releaseBlock({ ...system, phase: "stalled" }, [])).toBeNull();
    // Finished requests, and other systems' requests, do not stand in the way.
    expect(releaseBlock(system, [request({ state: "active" }), request({ state: "rejected" }), request({ systemId: "s2" })])).toBeNull();
  });

  it("names the request in flight, whatever its state until it is carried out", () => {
    for (const state of ["draft", "submitted", "dept_approved", "ops_approved", "security_approved", "provisioning"] as const) {
      expect(releaseBlock(system, [request({ state })]), state).toEqual({ reason: "inFlight", request: request({ state }) });
    }
    // A release being carried out already holds nothing: the request in flight is the better reason.
    const releasing = request({ kind: "release", state: "provisioning" });
    expect(releaseBlock({ ...system, holdsResources: false, phase: "releasing" }, [releasing])).toEqual({ reason: "inFlight", request: releasing });
  });

  it("refuses systems that hold nothing, saying whether they were released", () => {
    expect(releaseBlock({ ...system, holdsResources: false, phase: null }, [])).toEqual({ reason: "nothingHeld" });
    expect(releaseBlock({ ...system, holdsResources: false, phase: "released" }, [])).toEqual({ reason: "released" });
  });

  it("refuses retired systems first", () => {
    expect(releaseBlock({ ...system, retired: true }, [request()])).toEqual({ reason: "retired" });
  });

  it("finds the one request that occupies a system", () => {
    expect(openRequestOf("s1", [request({ state: "withdrawn" }), request({ id: "r2", state: "dept_approved" })])?.id).toBe("r2");
    expect(openRequestOf("s1", [request({ state: "expired" })])).toBeUndefined();
  });
});

describe("the typed confirmation", () => {
  it("matches the system's name exactly, spaces around it aside", () => {
    expect(confirmsName("社保业务系统", "社保业务系统")).toBe(true);
    expect(confirmsName("  社保业务系统　", "社保业务系统")).toBe(true);
    expect(confirmsName("社保业务", "社保业务系统")).toBe(false);
    expect(confirmsName("portal", "Portal")).toBe(false);
    expect(confirmsName(undefined, "社保业务系统")).toBe(false);
    expect(confirmsName("", "")).toBe(false);
  });
});
