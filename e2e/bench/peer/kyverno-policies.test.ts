import type { KubeObject } from "@zhengyun/infra/components/objects";
import { describe, expect, it } from "vitest";
import { fieldsOf, holds, PEER_LABEL, peerPlan } from "./kyverno-policies.js";

const ns = (name: string, level: number): KubeObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: { "zhengyun.gov.cn/level": String(level) }, annotations: { "pulumi.com/patchForce": "true", "zhengyun.gov.cn/system-id": name } },
});
const quota = (namespace: string, cpu: string): KubeObject =>
  ({
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "zhengyun-resource-limits", namespace, labels: { "app.kubernetes.io/managed-by": "zhengyun-policies" } },
    spec: { hard: { "requests.cpu": cpu } },
  }) as KubeObject;
const deny = (namespace: string): KubeObject =>
  ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "zhengyun-default-deny", namespace, annotations: { "pulumi.com/patchForce": "true", "zhengyun.gov.cn/control": "network-default-deny" } },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  }) as KubeObject;
const exec = (namespace: string): KubeObject =>
  ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "zhengyun-department-exec", namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "zhengyun-exec" },
    subjects: [{ kind: "Group", name: `zhengyun:dept:${namespace}` }],
  }) as KubeObject;

type Rule = { name: string; match: { any: { resources: { selector: { matchLabels: Record<string, string> } } }[] }; generate: Record<string, unknown> };
const rulesOf = (p: KubeObject) => (p as unknown as { spec: { rules: Rule[] } }).spec.rules;

describe("the peer's generate policies", () => {
  const plan = peerPlan(
    [
      { level: 2, objects: [ns("a", 2), quota("a", "4"), deny("a"), exec("a")] },
      { level: 2, objects: [ns("b", 2), quota("b", "8"), deny("b")] },
      { level: 3, objects: [ns("c", 3), quota("c", "16"), deny("c")] },
    ],
    (name) => `peer-${name}`,
  );

  it("makes one policy per level and one rule per object of that level", () => {
    expect(plan.policies.map((p) => p.metadata.name)).toEqual(["zhengyun-peer-level-2", "zhengyun-peer-level-3"]);
    expect(rulesOf(plan.policies[0]!).map((r) => r.generate.kind)).toEqual(["ResourceQuota", "NetworkPolicy", "RoleBinding"]);
    expect(rulesOf(plan.policies[1]!)).toHaveLength(2);
    expect(plan.expected).toHaveLength(7);
  });

  it("writes what every system of the level shares into the rule, and leaves out the engine's annotations", () => {
    const rule = rulesOf(plan.policies[0]!)[1]!;
    expect(rule.generate.data).toEqual({
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      metadata: { annotations: { "zhengyun.gov.cn/control": "network-default-deny" } },
    });
    expect(rule.generate.synchronize).toBe(true);
    expect(rule.generate.namespace).toBe("{{ request.object.metadata.name }}");
  });

  it("reads what differs from the namespace's own annotation, which holds that system's value", () => {
    const rule = rulesOf(plan.policies[0]!)[0]!;
    const spec = (rule.generate.data as { spec: string }).spec;
    const param = /annotations\."([^"]+)"/.exec(spec)![1]!;
    expect(spec).toBe(`{{ parse_json(request.object.metadata.annotations."${param}") }}`);
    const a = plan.namespaces.find((n) => n.metadata.name === "peer-a")!;
    const b = plan.namespaces.find((n) => n.metadata.name === "peer-b")!;
    expect(JSON.parse(a.metadata.annotations![param]!)).toEqual({ hard: { "requests.cpu": "4" } });
    expect(JSON.parse(b.metadata.annotations![param]!)).toEqual({ hard: { "requests.cpu": "8" } });
  });

  it("matches an object only some systems have by a label only those namespaces carry", () => {
    const rule = rulesOf(plan.policies[0]!)[2]!;
    const selector = rule.match.any[0]!.resources.selector.matchLabels;
    const only = Object.keys(selector).find((k) => k.startsWith("peer.zhengyun.gov.cn/r-"))!;
    expect(selector).toMatchObject({ "zhengyun.gov.cn/level": "2", [PEER_LABEL]: "kyverno", [only]: "y" });
    expect(plan.namespaces.find((n) => n.metadata.name === "peer-a")!.metadata.labels![only]).toBe("y");
    expect(plan.namespaces.find((n) => n.metadata.name === "peer-b")!.metadata.labels![only]).toBeUndefined();
    // A rule every system of the level has matches by level and peer label alone.
    expect(Object.keys(rulesOf(plan.policies[0]!)[1]!.match.any[0]!.resources.selector.matchLabels)).toHaveLength(2);
  });

  it("expects each object in its own namespace with the system's fields", () => {
    const e = plan.expected.find((x) => x.namespace === "peer-b" && x.kind === "ResourceQuota")!;
    expect(e.fields).toEqual(fieldsOf(quota("b", "8")));
    expect(plan.namespaces.every((n) => n.metadata.labels![PEER_LABEL] === "kyverno")).toBe(true);
    expect(plan.namespaces[0]!.metadata.annotations).not.toHaveProperty("pulumi.com/patchForce");
  });

  it("counts a live object as holding the expected fields when every expected leaf is there", () => {
    expect(holds({ hard: { "requests.cpu": "4", extra: "1" } }, { hard: { "requests.cpu": "4" } })).toBe(true);
    expect(holds({ hard: { "requests.cpu": "8" } }, { hard: { "requests.cpu": "4" } })).toBe(false);
    expect(holds({ ports: [{ port: 53 }] }, { ports: [{ port: 53 }, { port: 54 }] })).toBe(false);
    expect(holds(undefined, { a: 1 })).toBe(false);
  });
});
