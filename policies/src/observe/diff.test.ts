import { describe, expect, it } from "vitest";
import type { KubeObject } from "../model/k8s.js";
import { compareObject, describeFindings, enforce } from "./diff.js";
import { foreignFindings } from "./foreign.js";

const quota: KubeObject = {
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name: "zhengyun-resource-limits", namespace: "zy-a", labels: { "app.kubernetes.io/managed-by": "zhengyun-policies" } },
  spec: { hard: { "limits.cpu": "2", "limits.memory": "4Gi" } },
};

const denyAll: KubeObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "zhengyun-default-deny", namespace: "zy-a" },
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
};

/** What the API server returns: server fields, extra labels, status. */
function live(object: KubeObject, patch: (o: KubeObject) => void = () => {}): KubeObject {
  const o = structuredClone(object);
  o.metadata = { ...o.metadata, labels: { ...o.metadata.labels, "kubernetes.io/metadata.name": "x" }, annotations: { note: "added by someone" } };
  Object.assign(o.metadata, { uid: "u", resourceVersion: "7", managedFields: [] });
  o.status = { used: { "limits.cpu": "500m" } };
  patch(o);
  return o;
}

describe("drift comparison", () => {
  it("finds nothing when only server fields, extra labels and annotations differ", () => {
    expect(compareObject(quota, live(quota))).toBeUndefined();
    expect(compareObject(denyAll, live(denyAll))).toBeUndefined();
  });

  it("reports a deleted object", () => {
    expect(compareObject(denyAll, undefined)).toMatchObject({ kind: "NetworkPolicy", change: "missing" });
  });

  it("reports a quota raised by hand, comparing quantities by value", () => {
    const edited = live(quota, (o) => ((o.spec as { hard: Record<string, string> }).hard["limits.cpu"] = "64"));
    expect(compareObject(quota, edited)).toMatchObject({ change: "modified", fields: ["spec.hard.limits.cpu"] });
    const sameValue = live(quota, (o) => ((o.spec as { hard: Record<string, string> }).hard["limits.memory"] = "4096Mi"));
    expect(compareObject(quota, sameValue)).toBeUndefined();
  });

  it("reports keys added under a desired field: a selector narrowing a deny-all policy", () => {
    const narrowed = live(denyAll, (o) => ((o.spec as { podSelector: object }).podSelector = { matchLabels: { app: "one" } }));
    const finding = compareObject(denyAll, narrowed);
    expect(finding?.fields).toEqual(["spec.podSelector.matchLabels"]);
    expect(describeFindings([finding!])).toBe("NetworkPolicy zy-a/zhengyun-default-deny changed (spec.podSelector.matchLabels)");
  });

  it("reports a platform label removed or changed", () => {
    const relabelled = live(quota, (o) => delete o.metadata.labels?.["app.kubernetes.io/managed-by"]);
    expect(compareObject(quota, relabelled)?.fields).toEqual(["metadata.labels.app.kubernetes.io/managed-by"]);
  });

  it("writes back exactly the desired fields, keeping the server's metadata", () => {
    const narrowed = live(denyAll, (o) => ((o.spec as { podSelector: object }).podSelector = { matchLabels: { app: "one" } }));
    const fixed = enforce(denyAll, narrowed);
    expect(fixed.spec).toEqual(denyAll.spec);
    expect((fixed.metadata as { resourceVersion?: string }).resourceVersion).toBe("7");
    expect(fixed.metadata.annotations?.note).toBe("added by someone");
    expect(compareObject(denyAll, fixed)).toBeUndefined();
  });

  it("reports a Pod Security or exemption label added to a namespace by hand, not other labels", () => {
    const ns: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: "zy-a", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } };
    const added = live(ns, (o) => {
      o.metadata.labels = { ...o.metadata.labels, "exempt.zhengyun.gov.cn/no-host-access": "1999999999", "zhengyun.gov.cn/tenant-guard": "enforced" };
    });
    expect(compareObject(ns, added)?.fields).toEqual(["metadata.labels.exempt.zhengyun.gov.cn/no-host-access"]);
    expect(compareObject(ns, enforce(ns, added))).toBeUndefined();
  });

  it("fills in what the API server defaults before comparing", () => {
    const policy: KubeObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "web", namespace: "zy-a" },
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }] },
    };
    const stored = live(policy, (o) => {
      o.spec = { podSelector: {}, ingress: [{ ports: [{ port: 443, protocol: "TCP" }] }], policyTypes: ["Ingress"] };
    });
    expect(compareObject(policy, stored)).toBeUndefined();
  });
});

describe("foreign objects", () => {
  const open: KubeObject = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "allow-all", namespace: "zy-a" },
    spec: { podSelector: {} },
  };
  const lb: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "lb", namespace: "zy-a" }, spec: { type: "LoadBalancer" } };

  it("are findings naming the controls they weaken, and described as added outside the platform", () => {
    const ours = { ...denyAll, metadata: { ...denyAll.metadata, labels: { "app.kubernetes.io/managed-by": "zhengyun-policies" } } };
    const findings = foreignFindings("zy-a", 3, [open, lb, ours]);
    expect(findings.map((f) => [f.kind, f.name, f.change, f.fields])).toEqual([
      ["NetworkPolicy", "allow-all", "foreign", ["network-default-deny", "zone-egress"]],
      ["Service", "lb", "foreign", ["no-nodeport-lb"]],
    ]);
    expect(describeFindings(findings.slice(0, 1))).toBe("NetworkPolicy zy-a/allow-all added outside the platform, weakening network-default-deny, zone-egress");
  });

  it("leave out what an exemption allows", () => {
    expect(foreignFindings("zy-a", 3, [lb], new Set(["no-nodeport-lb"]))).toEqual([]);
  });

  it("count only in the system's namespace", () => {
    expect(foreignFindings("zy-b", 3, [open, lb])).toEqual([]);
  });
});
