import { describe, expect, it } from "vitest";
import { compileTenant } from "../../compile/tenant.js";
import { networkContext } from "../../matrix/world.js";
import { LEVELS, ZONES } from "../../model/level.js";
import { judgeProbe } from "../../network/probe.js";
import { compiledWorld, TEST_NOW } from "../../testing/compiled-world.js";
import { DEFAULT_DENY_POLICY, networkDefaultDeny, WITHIN_SYSTEM_POLICY } from "./control.js";
import { networkDefaultDenyFixtures as fixtures } from "./fixtures.js";

const quota = { cpu: "1", memory: "1Gi" };

describe("network-default-deny", () => {
  it("applies at every level and cannot be exempted", () => {
    expect(networkDefaultDeny.levels).toEqual([...LEVELS]);
    expect(networkDefaultDeny.exemptible).toBe(false);
    expect(() =>
      compileTenant({
        system: "s",
        department: "d",
        level: 2,
        zone: "internal",
        quota,
        now: TEST_NOW,
        exemptions: [{ control: "network-default-deny", expiresAt: new Date(TEST_NOW.getTime() + 1000), grantedBy: "x", reason: "y" }],
      }),
    ).toThrow(/cannot be exempted/);
  });

  it("isolates every pod of the system for ingress and egress", () => {
    const { objects } = compileTenant({ system: "s", department: "d", level: 1, zone: "external", quota, now: TEST_NOW });
    const deny = objects.find((o) => o.metadata.name === DEFAULT_DENY_POLICY);
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const within = objects.find((o) => o.metadata.name === WITHIN_SYSTEM_POLICY);
    expect(within?.spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
  });

  const { world, policies, namespaces } = compiledWorld();
  for (const level of LEVELS) {
    for (const zone of ZONES) {
      const ctx = networkContext(world, level, zone);
      it(`level ${level}, ${zone}: compiled policies drop every bad probe and pass every good one`, () => {
        const bad = fixtures.bad(ctx);
        expect(bad.length).toBeGreaterThan(ctx.peers.length); // every ungranted peer, both ways
        for (const probe of bad) expect(judgeProbe(policies, probe, ctx.system, namespaces).allowed, probe.name).toBe(false);
        for (const probe of fixtures.good(ctx)) expect(judgeProbe(policies, probe, ctx.system, namespaces).allowed, probe.name).toBe(true);
      });
    }
  }
});
