import { describe, expect, it } from "vitest";
import { fixtureContext } from "../../matrix/world.js";
import type { ResourceQuotaObject } from "../../model/k8s.js";
import { LEVELS } from "../../model/level.js";
import { compiledControl, find, tenantObjects } from "../../testing/compiled-control.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { noNodePortLb } from "./control.js";
import { noNodePortLbFixtures } from "./fixtures.js";

const quotaAt = (level: 1 | 2 | 3 | 4, exempt = false) =>
  find<ResourceQuotaObject>(tenantObjects(level, { exempt: exempt ? ["no-nodeport-lb"] : [] }), "ResourceQuota", "zhengyun-no-nodeport-lb")?.spec.hard;

describe("no-nodeport-lb", () => {
  it("denies NodePort/LoadBalancer at levels 3-4 and leaves levels 1-2 to the approved quota", () => {
    const { bindingLevels, params } = compiledControl(noNodePortLb);
    expect(bindingLevels).toEqual([...LEVELS]);
    expect(Object.fromEntries([...params].map(([l, d]) => [l, d.services]))).toEqual({ 1: "quota", 2: "quota", 3: "deny", 4: "deny" });
  });

  it("sets the service quota to what was approved at levels 1-2 and to zero at 3-4 whatever was approved", () => {
    expect(quotaAt(1)).toEqual({ "services.nodeports": "2", "services.loadbalancers": "1" });
    expect(quotaAt(2)).toEqual({ "services.nodeports": "2", "services.loadbalancers": "1" });
    expect(quotaAt(3)).toEqual({ "services.nodeports": "0", "services.loadbalancers": "0" });
    expect(quotaAt(4)).toEqual({ "services.nodeports": "0", "services.loadbalancers": "0" });
  });

  it("drops the service quota under an exemption", () => {
    expect(quotaAt(3, true)).toBeUndefined();
  });

  it("forbids externalIPs at every level and exposure types only where the parameter says deny", () => {
    const rules = compiledControl(noNodePortLb).policy?.spec.validations.map((v) => v.expression) ?? [];
    expect(rules).toContain("object.spec.?externalIPs.orValue([]).size() == 0");
    expect(rules.some((r) => r.startsWith("params.data['services'] != 'deny' ||"))).toBe(true);
  });

  it("writes over-quota fixtures from the approval: one port more than approved", () => {
    const bad = noNodePortLbFixtures.bad(fixtureContext(1));
    const over = bad.find((f) => f.name === "svc-node-port-over");
    if (!over) throw new Error("no over-quota fixture");
    expect((over.object.spec as { ports: unknown[] }).ports).toHaveLength(fixtureContext(1).quota.nodePorts + 1);
    expect(over.refusal).toBe("exceeded quota: zhengyun-no-nodeport-lb");
  });

  fixtureHygiene(noNodePortLb, noNodePortLbFixtures);
});
