import type { KubeObject } from "@zhengyun/infra/components/objects";
import { describe, expect, it } from "vitest";
import { departmentLabel, desiredState, EGRESS_BANDWIDTH_ANNOTATION, SEGMENTS_ANNOTATION, SYSTEM_ID_ANNOTATION } from "./build.js";
import type { SystemSnapshot } from "./snapshot.js";

const NOW = new Date("2026-03-01T08:00:00Z");

function snapshot(overrides: Partial<SystemSnapshot> = {}): SystemSnapshot {
  return {
    systemId: "5f0c3a52-9d7e-4a51-8f0e-0c2f6a1b2c3d",
    systemName: "不动产登记",
    namespace: "zy-gtj-5f0c3a529d",
    level: 3,
    zone: "external",
    departmentCode: "GTJ",
    driftReportOnly: false,
    generation: 4,
    requestId: "8e2d1c4b-0000-4000-8000-000000000001",
    granted: { vcpu: 8, memory_gib: 16, storage_encrypted_gib: 200, segments: 1, egress_mbps: 20 },
    segments: ["10.64.3.0/26"],
    egress: [{ host: "api.mps.gov.cn", port: 443 }],
    exemptions: [],
    takenAt: NOW,
    ...overrides,
  };
}

function applied(s: SystemSnapshot) {
  const d = desiredState(s);
  if (d.action !== "apply") throw new Error(`expected apply, got ${d.action}: ${JSON.stringify(d)}`);
  return d;
}

const find = (objects: KubeObject[], kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind} ${name} not in ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
  return o;
};

describe("desired state of a system", () => {
  it("is the namespace first, with level, zone, department and Pod Security labels and the platform's annotations", () => {
    const d = applied(snapshot());
    const ns = d.objects[0]!;
    expect(ns.kind).toBe("Namespace");
    expect(ns.metadata.name).toBe("zy-gtj-5f0c3a529d");
    expect(ns.metadata.labels).toMatchObject({
      "zhengyun.gov.cn/level": "3",
      "zhengyun.gov.cn/zone": "external",
      "zhengyun.gov.cn/department": "gtj",
      "pod-security.kubernetes.io/enforce": "restricted",
    });
    expect(ns.metadata.annotations).toMatchObject({
      [SYSTEM_ID_ANNOTATION]: "5f0c3a52-9d7e-4a51-8f0e-0c2f6a1b2c3d",
      [SEGMENTS_ANNOTATION]: "10.64.3.0/26",
      [EGRESS_BANDWIDTH_ANNOTATION]: "20",
    });
    for (const o of d.objects.slice(1)) expect(o.metadata.namespace).toBe("zy-gtj-5f0c3a529d");
  });

  it("turns the grant into exactly that much quota: vCPU, GiB of memory, GiB per storage class", () => {
    const d = applied(snapshot());
    const compute = find(d.objects, "ResourceQuota", "zhengyun-resource-limits") as KubeObject & { spec: { hard: Record<string, string> } };
    expect(compute.spec.hard).toMatchObject({ "requests.cpu": "8", "limits.cpu": "8", "requests.memory": "16Gi", "limits.memory": "16Gi" });
    const storage = find(d.objects, "ResourceQuota", "zhengyun-storage-class") as KubeObject & { spec: { hard: Record<string, string> } };
    expect(storage.spec.hard).toEqual({
      "encrypted.storageclass.storage.k8s.io/requests.storage": "200Gi",
      "ssd.storageclass.storage.k8s.io/requests.storage": "0",
      "standard.storageclass.storage.k8s.io/requests.storage": "0",
    });
    const services = find(d.objects, "ResourceQuota", "zhengyun-no-nodeport-lb") as KubeObject & { spec: { hard: Record<string, string> } };
    expect(services.spec.hard).toEqual({ "services.nodeports": "0", "services.loadbalancers": "0" });
    const counts = find(d.objects, "ResourceQuota", "zhengyun-object-counts") as KubeObject & { spec: { hard: Record<string, string> } };
    expect(counts.spec.hard["count/configmaps"]).toBeDefined();
  });

  it("gives the department's group the tenant role in the namespace and nothing else, under the tenant guard", () => {
    const d = applied(snapshot({ departmentCode: "GTJ" }));
    const binding = find(d.objects, "RoleBinding", "zhengyun-department");
    expect(binding.metadata.namespace).toBe("zy-gtj-5f0c3a529d");
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "zhengyun-tenant" });
    expect(binding.subjects).toEqual([{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "zhengyun:dept:GTJ" }]);
    expect(d.objects.filter((o) => o.kind === "RoleBinding").map((o) => o.metadata.name)).toEqual(["zhengyun-department"]);
    expect(d.objects[0]?.metadata.labels?.["zhengyun.gov.cn/tenant-guard"]).toBe("enforced");
  });

  it("denies all traffic by default and lists the allowed egress destinations", () => {
    const d = applied(snapshot());
    const deny = find(d.objects, "NetworkPolicy", "zhengyun-default-deny") as KubeObject & { spec: { podSelector: object; policyTypes: string[] } };
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    const destinations = find(d.objects, "ConfigMap", "zhengyun-egress-destinations") as KubeObject & { data: Record<string, string> };
    expect(destinations.data.destinations).toContain("api.mps.gov.cn:443");
  });

  it("is a pure function: the same snapshot gives the same objects and hash, a changed grant another hash", () => {
    const a = applied(snapshot());
    const b = applied(snapshot());
    expect(b.objects).toEqual(a.objects);
    expect(b.hash).toBe(a.hash);
    const grown = applied(snapshot({ granted: { ...snapshot().granted, vcpu: 12 } }));
    expect(grown.hash).not.toBe(a.hash);
    // Things that do not change the cluster do not change the hash.
    expect(applied(snapshot({ generation: 9, requestId: null, systemName: "改名" })).hash).toBe(a.hash);
  });

  it("labels the namespace for active exemptions only, and asks to be recomputed when one lapses", () => {
    const expiresAt = new Date("2026-03-02T00:00:00Z");
    const exemption = { controlId: "psa", reason: "迁移期", grantedBy: "security-1", expiresAt, revokedAt: null };
    const d = applied(snapshot({ exemptions: [exemption] }));
    expect(d.objects[0]!.metadata.labels?.["exempt.zhengyun.gov.cn/psa"]).toBe(String(expiresAt.getTime() / 1000));
    expect(d.objects[0]!.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(d.requeueAt).toEqual(expiresAt);

    const lapsed = applied(snapshot({ exemptions: [exemption], takenAt: new Date("2026-03-02T00:00:01Z") }));
    expect(lapsed.objects[0]!.metadata.labels?.["exempt.zhengyun.gov.cn/psa"]).toBeUndefined();
    expect(lapsed.requeueAt).toBeUndefined();
    const revoked = applied(snapshot({ exemptions: [{ ...exemption, revokedAt: NOW }] }));
    expect(revoked.objects[0]!.metadata.labels?.["exempt.zhengyun.gov.cn/psa"]).toBeUndefined();
  });

  it("is a release when nothing is granted any more", () => {
    const d = desiredState(snapshot({ granted: { vcpu: 0, memory_gib: 0, storage_encrypted_gib: 0, segments: 0, egress_mbps: 0 } }));
    expect(d).toMatchObject({ action: "release", namespace: "zy-gtj-5f0c3a529d" });
  });

  it("is invalid, not applied, when the catalog refuses the input", () => {
    const d = desiredState(snapshot({ level: 4 }));
    expect(d).toMatchObject({ action: "invalid", reason: "PolicyRefused" });
    expect((d as { message: string }).message).toMatch(/egress/);
    expect(
      desiredState(
        snapshot({ exemptions: [{ controlId: "network-default-deny", reason: "x", grantedBy: "s", expiresAt: new Date("2027-01-01"), revokedAt: null }] }),
      ),
    ).toMatchObject({
      action: "invalid",
    });
  });

  it("gives internal-zone systems no egress allow-list", () => {
    const d = applied(
      snapshot({ zone: "internal", egress: [{ host: "example.org", port: 443 }], granted: { vcpu: 1, memory_gib: 2, storage_encrypted_gib: 1 } }),
    );
    expect(d.objects.some((o) => o.kind === "NetworkPolicy" && o.metadata.name === "zhengyun-allow-egress-gateway")).toBe(false);
  });

  it("makes DNS labels of department codes", () => {
    expect(departmentLabel("GTJ")).toBe("gtj");
    expect(departmentLabel("市_公安局 01")).toBe("01");
    expect(departmentLabel("___")).toBe("dept");
  });
});
