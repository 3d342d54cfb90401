import { describe, expect, it } from "vitest";
import { compileBaseline } from "../compile/baseline.js";
import { compileTenant } from "../compile/tenant.js";
import { type KubeObject, objectKey } from "../model/k8s.js";
import type { TenantInput } from "../model/tenant.js";
import { compareAll } from "../observe/diff.js";
import { escapeHtml, renderEvidenceHtml } from "./html.js";
import { evidenceJson, evidenceObjects, evidenceReport } from "./report.js";

const now = new Date("2025-06-01T08:00:00Z");
const system: TenantInput = {
  system: "tax-portal",
  department: "tax",
  level: 3,
  zone: "external",
  quota: { cpu: "8", memory: "16Gi", storage: { encrypted: "100Gi" } },
  now,
  exemptions: [{ control: "digest-pinning", expiresAt: new Date(now.getTime() + 86_400_000), grantedBy: "officer <li>", reason: "vendor image <b>" }],
};

/** What the API server hands back: the compiled objects plus server-set metadata. */
function asLive(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((o) => ({
    ...structuredClone(o),
    metadata: {
      ...structuredClone(o.metadata),
      uid: "u",
      resourceVersion: "1",
      labels: { ...o.metadata.labels, ...(o.kind === "Namespace" ? { "kubernetes.io/metadata.name": o.metadata.name } : {}) },
    },
    ...(o.kind === "ResourceQuota" ? { status: { hard: {}, used: {} } } : {}),
  }));
}

const byKey = (objects: readonly KubeObject[]) => new Map(objects.map((o) => [objectKey(o), o]));

const compiled = () => [...compileBaseline(), ...compileTenant(system).objects];

describe("evidenceReport", () => {
  it("lists each control of the level with its mechanism and objects, all present and unmodified", () => {
    const report = evidenceReport(system, asLive(compiled()));
    expect(report.controls.map((c) => c.id)).toEqual([
      "psa",
      "network-default-deny",
      "zone-egress",
      "no-nodeport-lb",
      "registry-allowlist",
      "digest-pinning",
      "no-host-access",
      "resource-limits",
      "non-root-readonly",
      "storage-class",
      "dedicated-nodes",
    ]);
    expect(report.summary).toEqual({ total: 11, enforced: 10, exempted: 1, drifted: 0 });
    expect(report.namespace.status).toBe("present");
    for (const c of report.controls) {
      expect(c.objects.length, c.id).toBeGreaterThan(0);
      for (const o of c.objects) expect(o.status, `${c.id} ${o.kind}/${o.name}`).toBe("present");
    }
    const registry = report.controls.find((c) => c.id === "registry-allowlist");
    expect(registry?.objects.map((o) => `${o.kind}/${o.name}`)).toEqual([
      "ConfigMap/zhengyun-registry-allowlist-l3",
      "ValidatingAdmissionPolicy/zhengyun-registry-allowlist",
      "ValidatingAdmissionPolicyBinding/zhengyun-registry-allowlist-l3",
    ]);
    expect(report.controls.find((c) => c.id === "digest-pinning")?.exemption?.grantedBy).toBe("officer <li>");
  });

  it("reports a missing object and a modified one as drift", () => {
    const live = asLive(compiled()).filter((o) => o.metadata.name !== "zhengyun-default-deny");
    const binding = live.find((o) => o.metadata.name === "zhengyun-no-host-access-l3");
    (binding?.spec as { validationActions: string[] }).validationActions = ["Audit"];
    const report = evidenceReport(system, live);
    const deny = report.controls.find((c) => c.id === "network-default-deny");
    expect(deny?.status).toBe("drifted");
    expect(deny?.objects.find((o) => o.name === "zhengyun-default-deny")?.status).toBe("missing");
    const host = report.controls.find((c) => c.id === "no-host-access");
    expect(host?.objects.find((o) => o.name === "zhengyun-no-host-access-l3")?.status).toBe("modified");
    expect(report.summary.drifted).toBe(2);
  });

  it("sees a weakened Pod Security label as drift of the psa control", () => {
    const live = asLive(compiled());
    const ns = live.find((o) => o.kind === "Namespace" && o.metadata.name === "tax-portal");
    if (ns?.metadata.labels) ns.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline";
    const report = evidenceReport(system, live);
    expect(report.controls.find((c) => c.id === "psa")?.status).toBe("drifted");
    expect(report.namespace.status).toBe("modified");
  });

  it("leaves the unified egress out of the evidence of a system that may not use it", () => {
    const internal = { ...system, zone: "internal" as const, exemptions: [] };
    const live = asLive([...compileBaseline(), ...compileTenant(internal).objects]);
    const zone = evidenceReport(internal, live).controls.find((c) => c.id === "zone-egress");
    expect(zone?.objects.every((o) => o.namespace === "tax-portal")).toBe(true);
  });

  it("reads only the objects of the system's level", () => {
    const refs = evidenceObjects(system).map((r) => r.name);
    expect(refs).toContain("zhengyun-registry-allowlist-l3");
    expect(refs).not.toContain("zhengyun-registry-allowlist-l2");
  });

  it("exports JSON and a printable bilingual page", () => {
    const report = evidenceReport(system, asLive(compiled()));
    expect(JSON.parse(evidenceJson(report)).system.system).toBe("tax-portal");
    const html = renderEvidenceHtml(report);
    expect(html.indexOf("等级保护合规证据报告")).toBeLessThan(html.indexOf("MLPS 2.0 compliance evidence report"));
    expect(html).toContain("第三级");
    expect(html).toContain("vendor image &lt;b&gt;");
    expect(html).not.toContain("<b>");
    expect(html).toContain("@media print");
  });

  it("names the system, department and filing as people know them, escaped", () => {
    const report = evidenceReport(system, asLive(compiled()));
    const html = renderEvidenceHtml(report, {
      systemName: "税务<门户>",
      departmentName: "市税务局",
      filingNumber: "32100099001-00001",
      confirmedAt: "2025-06-02T08:00:00.000Z",
    });
    expect(html).toContain("税务&lt;门户&gt;");
    expect(html).toContain("市税务局");
    expect(html).toContain("32100099001-00001");
    expect(html).toContain("2025-06-02T08:00:00.000Z");
    expect(renderEvidenceHtml(report, { filingNumber: null })).toContain("未备案");
    // Without context the page still renders, with no empty rows.
    expect(renderEvidenceHtml(report)).not.toContain("系统名称");
  });

  it("escapes every HTML metacharacter", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

describe("objects the platform did not create", () => {
  const ns = "tax-portal";
  const allowAll: KubeObject = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "allow-all", namespace: ns },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] },
  };
  const nodePort: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: ns }, spec: { type: "NodePort" } };
  const clusterIp: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: ns }, spec: { type: "ClusterIP" } };
  const binding: KubeObject = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "extra", namespace: ns } };
  const elsewhere: KubeObject = { ...allowAll, metadata: { name: "allow-all", namespace: "another-system" } };

  it("put each control they weaken out of force and are named in it", () => {
    const report = evidenceReport(system, [...asLive(compiled()), allowAll, nodePort, clusterIp, binding, elsewhere]);
    const named = (id: string) => report.controls.find((c) => c.id === id)?.foreign.map((f) => `${f.kind}/${f.name}`);
    expect(named("network-default-deny")).toEqual(["NetworkPolicy/allow-all", "RoleBinding/extra"]);
    expect(named("zone-egress")).toEqual(["NetworkPolicy/allow-all", "RoleBinding/extra"]);
    expect(named("no-nodeport-lb")).toEqual(["Service/web"]);
    expect(named("psa")).toEqual([]);
    for (const id of ["network-default-deny", "zone-egress", "no-nodeport-lb"]) expect(report.controls.find((c) => c.id === id)?.status).toBe("drifted");
    expect(report.summary.drifted).toBe(3);
    const html = renderEvidenceHtml(report);
    expect(html).toContain("削弱本控制项的非平台对象");
    expect(html).toContain("NetworkPolicy tax-portal/allow-all");
  });

  it("do not count when they are the platform's own, or what the level allows", () => {
    const ours = { ...allowAll, metadata: { ...allowAll.metadata, labels: { "app.kubernetes.io/managed-by": "zhengyun-policies" } } };
    const atLevel2 = { ...system, level: 2 as const, exemptions: [] };
    const live = [...asLive([...compileBaseline(), ...compileTenant(atLevel2).objects]), nodePort, clusterIp];
    const report = evidenceReport(atLevel2, live);
    // Level 2 allows NodePort services within the approved quota; the quota counts them.
    expect(report.controls.find((c) => c.id === "no-nodeport-lb")?.foreign).toEqual([]);
    expect(evidenceReport(system, [...asLive(compiled()), ours]).summary.drifted).toBe(0);
  });

  it("means by an edit what drift means by it: a quantity in other units is no change, a hand-added exemption label is", () => {
    const live = asLive(compiled());
    const quota = live.find((o) => o.kind === "ResourceQuota" && o.metadata.name === "zhengyun-resource-limits");
    if (!quota) throw new Error("no resource quota compiled");
    const hard = (quota.spec as { hard: Record<string, string> }).hard;
    hard["limits.memory"] = "16384Mi";
    const sameValue = evidenceReport(system, live);
    expect(sameValue.summary.drifted).toBe(0);
    expect(compareAll(compileTenant(system).objects, byKey(live))).toEqual([]);

    const namespace = live.find((o) => o.kind === "Namespace" && o.metadata.name === system.system);
    namespace!.metadata.labels = { ...namespace!.metadata.labels, "exempt.zhengyun.gov.cn/no-host-access": "4102444800" };
    const exempted = evidenceReport(system, live);
    expect(exempted.namespace.status).toBe("modified");
    const drift = compareAll(compileTenant(system).objects, byKey(live));
    expect(drift.map((f) => f.fields)).toEqual([["metadata.labels.exempt.zhengyun.gov.cn/no-host-access"]]);
  });
});
