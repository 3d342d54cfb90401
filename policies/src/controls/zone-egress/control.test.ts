import { describe, expect, it } from "vitest";
import { compileBaseline } from "../../compile/baseline.js";
import { compileTenant } from "../../compile/tenant.js";
import { networkContext } from "../../matrix/world.js";
import type { KubeObject, NetworkPolicyObject } from "../../model/k8s.js";
import { EGRESS_NAMESPACE, LEVEL_LABEL, ZONE_LABEL } from "../../model/labels.js";
import { LEVELS, ZONES } from "../../model/level.js";
import type { FlowGrant } from "../../model/tenant.js";
import { judgeProbe } from "../../network/probe.js";
import { compiledWorld, TEST_NOW } from "../../testing/compiled-world.js";
import { DESTINATIONS_CONFIGMAP, DNS_POLICY, GATEWAY_INGRESS_POLICY, GATEWAY_POLICY } from "./control.js";
import { zoneEgressFixtures as fixtures } from "./fixtures.js";
import { crossesBoundary } from "./flows.js";

const quota = { cpu: "1", memory: "1Gi" };
const tenant = (level: 1 | 2 | 3 | 4, zone: "internal" | "external", extra: { flows?: FlowGrant[]; egressAllowList?: string[] } = {}) =>
  compileTenant({ system: "sys", department: "d", level, zone, quota, now: TEST_NOW, ...extra });
const named = (objects: KubeObject[], name: string) => objects.find((o) => o.metadata.name === name);
const flow = (direction: "ingress" | "egress", zone: "internal" | "external", level: 1 | 2 | 3 | 4, approvedBy?: string): FlowGrant => ({
  direction,
  peer: { system: "peer", zone, level },
  ports: [{ protocol: "TCP", port: 8080 }],
  ...(approvedBy ? { approvedBy } : {}),
});

describe("zone-egress", () => {
  it("lets only external-zone systems of levels 1-3 reach the unified egress", () => {
    for (const level of LEVELS) {
      for (const zone of ZONES) {
        const hasGateway = named(tenant(level, zone).objects, GATEWAY_POLICY) !== undefined;
        expect(hasGateway, `level ${level} ${zone}`).toBe(zone === "external" && level <= 3);
        expect(named(tenant(level, zone).objects, DNS_POLICY)).toBeDefined();
      }
    }
    const gateway = named(compileBaseline(), GATEWAY_INGRESS_POLICY) as NetworkPolicyObject;
    expect(gateway.metadata.namespace).toBe(EGRESS_NAMESPACE);
    expect(gateway.spec.ingress?.[0]?.from?.[0]?.namespaceSelector?.matchExpressions).toEqual([
      { key: ZONE_LABEL, operator: "In", values: ["external"] },
      { key: LEVEL_LABEL, operator: "In", values: ["1", "2", "3"] },
    ]);
  });

  it("records the destinations the unified egress allows", () => {
    const l3 = named(tenant(3, "external", { egressAllowList: ["b.gov.cn", "a.gov.cn", "a.gov.cn"] }).objects, DESTINATIONS_CONFIGMAP);
    expect(l3?.data).toEqual({ mode: "via-gateway-allow-list", destinations: "a.gov.cn\nb.gov.cn" });
    expect(named(tenant(3, "external").objects, DESTINATIONS_CONFIGMAP)?.data).toEqual({ mode: "via-gateway-allow-list", destinations: "" });
    expect(named(tenant(1, "external").objects, DESTINATIONS_CONFIGMAP)?.data).toEqual({ mode: "via-gateway", destinations: "" });
    expect(named(tenant(2, "internal").objects, DESTINATIONS_CONFIGMAP)?.data).toEqual({ mode: "none", destinations: "" });
  });

  it("refuses an egress allow-list where there is no internet egress", () => {
    expect(() => tenant(4, "external", { egressAllowList: ["a.gov.cn"] })).toThrow(/no internet egress/);
    expect(() => tenant(1, "internal", { egressAllowList: ["a.gov.cn"] })).toThrow(/no internet egress/);
  });

  it("treats cross-zone and lower-to-higher flows as boundary crossings", () => {
    const self = { zone: "internal" as const, level: 3 as const };
    expect(crossesBoundary(self, flow("ingress", "external", 3))).toBe(true);
    expect(crossesBoundary(self, flow("ingress", "internal", 2))).toBe(true);
    expect(crossesBoundary(self, flow("ingress", "internal", 4))).toBe(false);
    expect(crossesBoundary(self, flow("egress", "internal", 4))).toBe(true);
    expect(crossesBoundary(self, flow("egress", "internal", 2))).toBe(false);
  });

  it("compiles a boundary-crossing flow only with a security officer's approval", () => {
    expect(() => tenant(3, "internal", { flows: [flow("ingress", "internal", 2)] })).toThrow(/no security officer approval/);
    expect(() => tenant(3, "internal", { flows: [flow("ingress", "external", 3)] })).toThrow(/no security officer approval/);
    const approved = tenant(3, "internal", { flows: [flow("ingress", "internal", 2, "officer")] }).objects;
    const policy = named(approved, "zhengyun-flow-from-peer") as NetworkPolicyObject;
    expect(policy.metadata.annotations?.["zhengyun.gov.cn/approved-by"]).toBe("officer");
    expect(policy.spec.ingress?.[0]?.from).toEqual([
      { namespaceSelector: { matchLabels: { "zhengyun.gov.cn/system": "peer", "zhengyun.gov.cn/zone": "internal", "zhengyun.gov.cn/level": "2" } } },
    ]);
    // Higher to lower within a zone is a department decision.
    expect(() => tenant(2, "internal", { flows: [flow("ingress", "internal", 3)] })).not.toThrow();
  });

  it("merges grants for the same peer into one policy", () => {
    const objects = tenant(2, "external", {
      flows: [flow("ingress", "external", 3), { ...flow("ingress", "external", 3), ports: [{ protocol: "UDP", port: 53 }] }],
    }).objects;
    const policy = named(objects, "zhengyun-flow-from-peer") as NetworkPolicyObject;
    expect(policy.spec.ingress?.[0]?.ports).toEqual([
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 8080 },
    ]);
  });

  const { world, policies, namespaces } = compiledWorld();
  for (const level of LEVELS) {
    for (const zone of ZONES) {
      const ctx = networkContext(world, level, zone);
      it(`level ${level}, ${zone}: compiled policies drop every bad probe and pass every good one`, () => {
        for (const probe of fixtures.bad(ctx)) expect(judgeProbe(policies, probe, ctx.system, namespaces).allowed, probe.name).toBe(false);
        for (const probe of fixtures.good(ctx)) expect(judgeProbe(policies, probe, ctx.system, namespaces).allowed, probe.name).toBe(true);
      });
    }
  }
});
