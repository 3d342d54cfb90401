import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileBaseline } from "../compile/baseline.js";
import { compileTenant } from "../compile/tenant.js";
import { applyAll } from "../kube/apply.js";
import type { Kube } from "../kube/client.js";
import type { TenantInput } from "../model/tenant.js";
import { testKube, uniquePrefix } from "../testing/cluster.js";
import { renderEvidenceHtml } from "./html.js";
import { readLiveObjects } from "./read-live.js";
import { evidenceReport } from "./report.js";

/** The evidence report read from the API server, before and after someone tampers with the system's objects. */
let kube: Kube;
const now = new Date();
const system: TenantInput = {
  system: uniquePrefix("zyev"),
  department: "evidence",
  level: 4,
  zone: "internal",
  quota: { cpu: "4", memory: "8Gi", storage: { encrypted: "50Gi" } },
  now,
  exemptions: [{ control: "dedicated-nodes", expiresAt: new Date(now.getTime() + 3_600_000), grantedBy: "officer", reason: "capacity" }],
};

beforeAll(async () => {
  kube = testKube();
  await applyAll(kube, [...compileBaseline(), ...compileTenant(system).objects]);
});

afterAll(async () => {
  await kube.delete({ apiVersion: "v1", kind: "Namespace", name: system.system });
});

describe("evidence from the live cluster", () => {
  it("shows every control of the level enforced by objects that are present and unmodified", async () => {
    const report = evidenceReport(system, await readLiveObjects(kube, system));
    expect(report.summary).toEqual({ total: 11, enforced: 10, exempted: 1, drifted: 0 });
    expect(report.namespace.status).toBe("present");
    expect(report.controls.find((c) => c.id === "dedicated-nodes")?.status).toBe("exempted");
    expect(renderEvidenceHtml(report)).toContain(system.system);
  });

  it("shows drift when an enforcing object is modified or deleted", async () => {
    const namespace = system.system;
    const limitRange = await kube.read({ apiVersion: "v1", kind: "LimitRange", name: "zhengyun-resource-limits", namespace });
    if (!limitRange) throw new Error("LimitRange missing");
    (limitRange.spec as { limits: { default?: Record<string, string> }[] }).limits[0] = {
      ...(limitRange.spec as { limits: object[] }).limits[0],
      default: { cpu: "4", memory: "8Gi" },
    };
    await kube.replace(limitRange);
    await kube.delete({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", name: "zhengyun-default-deny", namespace });

    const report = evidenceReport(system, await readLiveObjects(kube, system));
    const limits = report.controls.find((c) => c.id === "resource-limits");
    expect(limits?.status).toBe("drifted");
    expect(limits?.objects.find((o) => o.kind === "LimitRange")?.status).toBe("modified");
    const deny = report.controls.find((c) => c.id === "network-default-deny");
    expect(deny?.objects.find((o) => o.name === "zhengyun-default-deny")?.status).toBe("missing");
    expect(report.summary.drifted).toBe(2);

    await applyAll(kube, compileTenant(system).objects);
    expect(evidenceReport(system, await readLiveObjects(kube, system)).summary.drifted).toBe(0);
  });
});
