// The reconcile path end to end: the portal's workflow (real PostgreSQL, through its tRPC callers),
// the controller, the Pulumi engine and provider, and the local control plane. Nothing is mocked.

import * as k8s from "@kubernetes/client-node";
import { requestCheck } from "@zhengyun/controller/claims/claims";
import type { Controller } from "@zhengyun/controller/controller";
import {
  allocation,
  apiCode,
  apiMessage,
  events,
  eventually,
  kubeClient,
  namespaceGone,
  requestState,
  runs,
  untilActive,
} from "@zhengyun/controller/testing/fixtures";
import { allocationItems, allocations, auditLog, evidenceReports, exemptions, networkSegments, reconcileStates } from "@zhengyun/db/schema";
import { CONTROLS, type EvidenceReport } from "@zhengyun/policies";
import { compliantPodSpec } from "@zhengyun/policies/fixtures/pod";
import { requestIn } from "@zhengyun/portal/test/harness";
import { and, desc, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { controllerJourney } from "./journey.js";
import { approveAll, fileAndApprove } from "./workflow.js";

const kube = kubeClient();
const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);

function pod(name: string, cpu = "500m", privileged = false): k8s.V1Pod {
  const spec = structuredClone(compliantPodSpec(3));
  const container = spec.containers[0]!;
  container.resources = { limits: { cpu, memory: "256Mi" } };
  if (privileged) container.securityContext = { privileged: true };
  return { metadata: { name }, spec };
}

async function refusal(namespace: string, body: k8s.V1Pod): Promise<{ code: number | undefined; message: string } | undefined> {
  try {
    await kube.core.createNamespacedPod({ namespace, body, dryRun: "All" });
    return undefined;
  } catch (err) {
    return { code: apiCode(err), message: apiMessage(err) };
  }
}

async function quota(namespace: string, name: string): Promise<Record<string, string>> {
  const q = await kube.core.readNamespacedResourceQuota({ namespace, name });
  return q.spec?.hard ?? {};
}

async function evidenceRows(database: { db: import("@zhengyun/db/client").Db }, systemId: string) {
  return database.db.select().from(evidenceReports).where(eq(evidenceReports.systemId, systemId)).orderBy(desc(evidenceReports.id));
}

function controlStatus(report: EvidenceReport, id: string): string | undefined {
  return report.controls.find((c) => c.id === id)?.status;
}

/** Observations of systems so far, and the requests they sent for the systems' own objects. */
async function observations(controller: Controller): Promise<{ count: number; sum: number }> {
  const { values } = await controller.metrics.observeRequests.get();
  const own = values.filter((v) => v.labels.source === "system");
  const of = (name: string) => own.find((v) => v.metricName === `zhengyun_check_api_requests_${name}`)?.value ?? 0;
  return { count: of("count"), sum: of("sum") };
}

describe("reconciling approved allocations onto the cluster", async () => {
  const { database, org, controller } = await controllerJourney({ org: { level: 3 } });
  let system: { id: string; namespace: string };
  let requestId: string;

  it("turns an approval into a namespace with exactly the granted quota, labels, admission policies and network policies", async () => {
    const filed = await requestIn(org, "provisioning", { level: 3, vcpu: 2, segmentPrefix: 28 });
    system = filed.system;
    requestId = filed.request.id;
    await untilActive(database, requestId);

    const ns = await kube.core.readNamespace({ name: system.namespace });
    expect(ns.metadata?.labels).toMatchObject({
      "zhengyun.gov.cn/level": "3",
      "zhengyun.gov.cn/zone": "external",
      "zhengyun.gov.cn/department": org.dept.code,
      "pod-security.kubernetes.io/enforce": "restricted",
    });
    const [segment] = await database.db.select({ cidr: networkSegments.cidr }).from(networkSegments).where(eq(networkSegments.systemId, system.id));
    expect(ns.metadata?.annotations?.["zhengyun.gov.cn/segments"]).toBe(segment?.cidr);

    expect(await quota(system.namespace, "zhengyun-resource-limits")).toEqual({
      "requests.cpu": "2",
      "limits.cpu": "2",
      "requests.memory": "4Gi",
      "limits.memory": "4Gi",
      pods: "20",
    });
    expect(await quota(system.namespace, "zhengyun-storage-class")).toEqual({
      "encrypted.storageclass.storage.k8s.io/requests.storage": "10Gi",
      "ssd.storageclass.storage.k8s.io/requests.storage": "0",
      "standard.storageclass.storage.k8s.io/requests.storage": "0",
    });
    expect(await quota(system.namespace, "zhengyun-no-nodeport-lb")).toEqual({ "services.nodeports": "0", "services.loadbalancers": "0" });

    const policies = await kube.networking.listNamespacedNetworkPolicy({ namespace: system.namespace });
    const names = policies.items.map((p) => p.metadata?.name).sort();
    expect(names).toContain("zhengyun-default-deny");
    const deny = policies.items.find((p) => p.metadata?.name === "zhengyun-default-deny");
    expect(deny?.spec?.podSelector).toEqual({});
    expect(deny?.spec?.policyTypes).toEqual(["Ingress", "Egress"]);

    const binding = await kube.rbac.readNamespacedRoleBinding({ namespace: system.namespace, name: "zhengyun-department" });
    expect(binding.roleRef).toMatchObject({ kind: "ClusterRole", name: "zhengyun-tenant" });
    expect(binding.subjects).toEqual([expect.objectContaining({ kind: "Group", name: `zhengyun:dept:${org.dept.code}` })]);

    // The level 3 admission policies are bound to namespaces labelled level 3.
    const bindings = await kube.admission.listValidatingAdmissionPolicyBinding();
    const level3 = bindings.items.filter(
      (b) =>
        b.spec?.matchResources?.namespaceSelector?.matchLabels?.["zhengyun.gov.cn/level"] === "3" ||
        JSON.stringify(b.spec?.matchResources?.namespaceSelector ?? {}).includes('"3"'),
    );
    expect(level3.length).toBeGreaterThan(0);

    const row = await allocation(database, system.id);
    expect(row).toMatchObject({ phase: "ready", observedGeneration: row?.generation });
    expect(row?.conditions.find((c) => c.type === "Ready")).toMatchObject({ status: "True", reason: "Reconciled" });
    expect(row?.outputs).toMatchObject({ namespace: system.namespace, progress: { step: "done" } });
    const reasons = (await events(database, system.id)).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(["ApplyStarted", "Applied"]));
    expect((await runs(database, system.id)).map((r) => [r.action, r.result])).toEqual([["apply", "succeeded"]]);

    // The compliance evidence was read back from the cluster before the request was reported active.
    const [evidence] = await evidenceRows(database, system.id);
    const atLevel3 = CONTROLS.filter((c) => c.appliesAt(3)).map((c) => c.id);
    expect(evidence).toMatchObject({ level: 3, total: atLevel3.length, enforced: atLevel3.length, exempted: 0, drifted: 0 });
    const report = evidence!.report;
    expect(report.controls.map((c) => c.id)).toEqual(atLevel3);
    expect(report.system).toMatchObject({ namespace: system.namespace, level: 3, zone: "external" });
    expect(report.controls.flatMap((c) => c.objects).every((o) => o.status === "present")).toBe(true);
  });

  it("refuses a pod over the quota and a privileged pod", async () => {
    await eventually("the default service account", () => kube.core.readNamespacedServiceAccount({ name: "default", namespace: system.namespace }));
    await eventually("quota status", async () => {
      const q = await kube.core.readNamespacedResourceQuota({ namespace: system.namespace, name: "zhengyun-resource-limits" });
      return q.status?.hard?.["limits.cpu"] ? q : undefined;
    });
    const over = await eventually("a refusal of the pod over quota", () => refusal(system.namespace, pod("too-big", "3")));
    expect(over.code).toBe(403);
    expect(over.message).toContain("exceeded quota: zhengyun-resource-limits");

    const privileged = await refusal(system.namespace, pod("privileged", "500m", true));
    expect(privileged?.code).toBe(403);
    expect(privileged?.message).toMatch(/privileged/);

    // A compliant pod within the quota is admitted.
    expect(await refusal(system.namespace, pod("fits"))).toBeUndefined();
  });

  it("reports quota usage back into the allocation", async () => {
    await kube.core.createNamespacedPod({ namespace: system.namespace, body: pod("running", "1500m") });
    await eventually("the quota to count the pod", async () => {
      const q = await kube.core.readNamespacedResourceQuota({ namespace: system.namespace, name: "zhengyun-resource-limits" });
      return q.status?.used?.["limits.cpu"] === "1500m" ? true : undefined;
    });
    const before = await observations(controller());
    await requestCheck(database.pool!, system.id);
    const used = await eventually("usage in allocation_items", async () => {
      const rows = await database.db.select().from(allocationItems).where(eq(allocationItems.systemId, system.id));
      const vcpu = rows.find((r) => r.resource === "vcpu");
      return vcpu?.used === 2 ? rows : undefined;
    });
    expect(used.find((r) => r.resource === "memory_gib")?.used).toBe(1);
    // Drift, usage and evidence of the check came from one observation of the namespace: one list
    // per kind compared (7 today) and the namespace itself, where reading object by object took 29.
    const after = await observations(controller());
    expect(after.count).toBeGreaterThan(before.count);
    expect((after.sum - before.sum) / (after.count - before.count)).toBeLessThanOrEqual(10);
    await kube.core.deleteNamespacedPod({ namespace: system.namespace, name: "running", gracePeriodSeconds: 0 });
  });

  it("grows and shrinks the quota with change requests", async () => {
    // Deleted by hand and not yet noticed: the next apply puts it back along with the change.
    await kube.networking.deleteNamespacedNetworkPolicy({ namespace: system.namespace, name: "zhengyun-allow-dns" });
    const grow = await fileAndApprove(org, system.id, "change", { vcpu: 4, memory_gib: 8, storage_encrypted_gib: 20 });
    await untilActive(database, grow);
    expect((await kube.networking.readNamespacedNetworkPolicy({ namespace: system.namespace, name: "zhengyun-allow-dns" })).metadata?.name).toBe(
      "zhengyun-allow-dns",
    );
    expect(await quota(system.namespace, "zhengyun-resource-limits")).toMatchObject({ "limits.cpu": "4", "limits.memory": "8Gi" });
    expect((await quota(system.namespace, "zhengyun-storage-class"))["encrypted.storageclass.storage.k8s.io/requests.storage"]).toBe("20Gi");

    const shrink = await fileAndApprove(org, system.id, "change", { vcpu: 1, memory_gib: 2, storage_encrypted_gib: 5 });
    await untilActive(database, shrink);
    expect(await quota(system.namespace, "zhengyun-resource-limits")).toMatchObject({ "limits.cpu": "1", "limits.memory": "2Gi" });
    const row = await allocation(database, system.id);
    expect(row?.observedGeneration).toBe(row?.generation);
  });

  it("detects a NetworkPolicy deleted and a ResourceQuota edited by hand, records them and heals them", async () => {
    const auditBefore = (await database.db.select({ seq: auditLog.seq }).from(auditLog).where(eq(auditLog.targetId, system.id))).length;
    await kube.networking.deleteNamespacedNetworkPolicy({ namespace: system.namespace, name: "zhengyun-default-deny" });
    await kube.core.patchNamespacedResourceQuota(
      { namespace: system.namespace, name: "zhengyun-resource-limits", body: { spec: { hard: { "limits.cpu": "64", "requests.cpu": "64" } } } },
      mergePatch,
    );
    expect((await quota(system.namespace, "zhengyun-resource-limits"))["limits.cpu"]).toBe("64");

    await requestCheck(database.pool!, system.id);
    const healed = await eventually("the drift to be healed", async () => {
      const reasons = (await events(database, system.id)).map((e) => e.reason);
      return reasons.includes("DriftHealed") ? reasons : undefined;
    });
    expect(healed).toEqual(expect.arrayContaining(["DriftDetected", "HealStarted", "Healed", "DriftHealed"]));
    const detected = (await events(database, system.id)).find((e) => e.reason === "DriftDetected");
    expect(detected?.message).toContain("NetworkPolicy");
    expect(detected?.message).toContain("zhengyun-default-deny deleted");
    expect(detected?.message).toContain("spec.hard.limits.cpu");

    expect((await quota(system.namespace, "zhengyun-resource-limits"))["limits.cpu"]).toBe("1");
    const deny = await kube.networking.readNamespacedNetworkPolicy({ namespace: system.namespace, name: "zhengyun-default-deny" });
    expect(deny.spec?.podSelector).toEqual({});

    const audit = await database.db.select().from(auditLog).where(eq(auditLog.targetId, system.id));
    const actions = audit.map((a) => a.action);
    expect(audit.length).toBeGreaterThan(auditBefore);
    expect(actions).toEqual(expect.arrayContaining(["system.drift_detected", "system.drift_healed"]));
    expect(audit.find((a) => a.action === "system.drift_detected")?.actorName).toBe("zhengyun-controller");
    const row = await allocation(database, system.id);
    expect(row?.phase).toBe("ready");
    expect(row?.outputs.drift).toMatchObject({ healed: true });
  });

  it("only reports drift on a system marked report-only", async () => {
    await org.as("ops").systems.setDriftMode({ id: system.id, driftReportOnly: true, reason: "变更窗口内只报告漂移" });
    await kube.networking.patchNamespacedNetworkPolicy(
      { namespace: system.namespace, name: "zhengyun-default-deny", body: { spec: { podSelector: { matchLabels: { app: "only-this" } } } } },
      mergePatch,
    );
    const before = (await events(database, system.id)).length;
    await requestCheck(database.pool!, system.id);
    const reported = await eventually("the drift to be reported", async () => {
      const fresh = (await events(database, system.id)).slice(before);
      return fresh.find((e) => e.reason === "DriftDetected");
    });
    expect(reported.message).toContain("spec.podSelector.matchLabels");
    expect(reported.message).toContain("only reported");
    // Left as the person changed it.
    const deny = await kube.networking.readNamespacedNetworkPolicy({ namespace: system.namespace, name: "zhengyun-default-deny" });
    expect(deny.spec?.podSelector).toEqual({ matchLabels: { app: "only-this" } });
    expect((await events(database, system.id)).slice(before).map((e) => e.reason)).not.toContain("HealStarted");
    // The evidence says so too: the default-deny policy is modified, its control not in force.
    const [drifted] = await evidenceRows(database, system.id);
    expect(drifted?.drifted).toBe(1);
    expect(controlStatus(drifted!.report, "network-default-deny")).toBe("drifted");
    const deniedObject = drifted!.report.controls.flatMap((c) => c.objects).find((o) => o.kind === "NetworkPolicy" && o.name === "zhengyun-default-deny");
    expect(deniedObject?.status).toBe("modified");

    // Back to healing: the narrowed selector (a field server-side apply cannot take back) is restored.
    await org.as("ops").systems.setDriftMode({ id: system.id, driftReportOnly: false, reason: "恢复自动修复" });
    await requestCheck(database.pool!, system.id);
    await eventually("the selector to be restored", async () => {
      const p = await kube.networking.readNamespacedNetworkPolicy({ namespace: system.namespace, name: "zhengyun-default-deny" });
      return JSON.stringify(p.spec?.podSelector) === "{}" ? true : undefined;
    });
    const restored = await eventually("evidence of the restored control", async () => {
      const [latest] = await evidenceRows(database, system.id);
      return latest?.drifted === 0 ? latest : undefined;
    });
    expect(controlStatus(restored.report, "network-default-deny")).toBe("enforced");
    // The drifted report stays in the history.
    expect((await evidenceRows(database, system.id)).some((r) => r.drifted > 0)).toBe(true);
  });

  it("applies a security officer's exemption and takes it back when it lapses", async () => {
    // An hour's exemption; its lapse is reached below by moving the clock of the rows forward
    // (the exemption's expiry and the return the controller booked for it), not by waiting.
    const expiresAt = new Date(Date.now() + 3_600_000);
    await org.as("security").exemptions.grant({ systemId: system.id, controlId: "psa", reason: "迁移期间临时豁免", expiresAt });
    const labels = async () => (await kube.core.readNamespace({ name: system.namespace })).metadata?.labels ?? {};
    const exempted = await eventually("the exemption label", async () => {
      const l = await labels();
      return l["exempt.zhengyun.gov.cn/psa"] ? l : undefined;
    });
    expect(exempted["exempt.zhengyun.gov.cn/psa"]).toBe(String(Math.floor(expiresAt.getTime() / 1000)));
    expect(exempted["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    // The label lands mid-run; the run that applied it ends by booking a return at the expiry.
    // (A run that ended before the grant, or one still under way, may be seen first.)
    await eventually("the run to end with a requeue at the expiry", async () => {
      const [state] = await database.db.select().from(reconcileStates).where(eq(reconcileStates.systemId, system.id));
      return state?.leaseOwner === null && state.requeueAt?.getTime() === expiresAt.getTime() ? true : undefined;
    });
    const withExemption = await eventually("evidence that records the exemption", async () => {
      const [row] = await evidenceRows(database, system.id);
      return row?.exempted === 1 ? row : undefined;
    });
    expect(controlStatus(withExemption.report, "psa")).toBe("exempted");

    // The hour passes: the exemption's expiry and the return booked for it are now just behind us.
    // Nobody touches the system otherwise: the controller comes back by itself at the booked time.
    // Moved between runs only (a run under way would book the old time again when it ends).
    await eventually("a moment between runs to move the clock", () =>
      database.db.transaction(async (tx) => {
        const lapsedAt = new Date(Date.now() - 1_000);
        const idle = await tx
          .update(reconcileStates)
          .set({ requeueAt: lapsedAt })
          .where(and(eq(reconcileStates.systemId, system.id), isNull(reconcileStates.leaseOwner)))
          .returning({ systemId: reconcileStates.systemId });
        if (idle.length === 0) return undefined;
        await tx.update(exemptions).set({ expiresAt: lapsedAt }).where(eq(exemptions.systemId, system.id));
        return true;
      }),
    );
    const lapsed = await eventually(
      "the exemption to lapse",
      async () => {
        const l = await labels();
        return l["exempt.zhengyun.gov.cn/psa"] ? undefined : l;
      },
      60_000,
    );
    expect(lapsed["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    // The run that took it back books nothing more for it.
    await eventually("the run to end with nothing booked", async () => {
      const [state] = await database.db.select().from(reconcileStates).where(eq(reconcileStates.systemId, system.id));
      return state?.leaseOwner === null && state.requeueAt === null ? true : undefined;
    });
  });

  it("reclaims a grant whose time is up: the platform files the release and the namespace goes", async () => {
    const other = await requestIn(org, "provisioning", { level: 3 });
    await untilActive(database, other.request.id);
    // Time passes: the grant's expiry is now behind us.
    await database.db
      .update(allocations)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(allocations.systemId, other.system.id));
    await eventually("the namespace to be removed", () => namespaceGone(kube.core, other.system.namespace), 90_000);
    const row = await eventually("the release to complete", async () => {
      const a = await allocation(database, other.system.id);
      return a?.phase === "released" ? a : undefined;
    });
    expect(row.conditions.find((c) => c.type === "Ready")?.reason).toBe("Released");
    expect(await requestState(database, other.request.id)).toBe("expired");
  });

  it("stalls a system whose input the catalog refuses, fails its request, and recovers once the input is fixed", async () => {
    const other = await org.newSystem(3, "external");
    // Network exceptions are granted as flows, never as exemptions: the catalog refuses this one,
    // and so does the portal, at the grant.
    const refused = {
      systemId: other.id,
      controlId: "network-default-deny",
      reason: "测试：不可豁免的控制项",
      expiresAt: new Date(Date.now() + 3_600_000),
    };
    await expect(org.as("security").exemptions.grant(refused)).rejects.toThrow(/control “network-default-deny” cannot be exempted/);
    // A row the portal would refuse (one recorded before it checked the catalog): the controller
    // must still refuse to compile it rather than apply anything.
    const [row] = await database.db
      .insert(exemptions)
      .values({ ...refused, grantedBy: org.people.security.id })
      .returning({ id: exemptions.id });
    const exemptionId = row!.id;
    const req = await org.as("applicant").requests.create({
      systemId: other.id,
      kind: "new",
      resources: { vcpu: 1, memory_gib: 2, storage_encrypted_gib: 5 },
      justification: "测试所需资源",
      submit: true,
    });
    await approveAll(org, req.id);
    const failed = await eventually("the request to fail", async () => {
      const r = await org.as("ops").requests.get({ id: req.id });
      return r.state === "failed" ? r : undefined;
    });
    expect(failed.failureReason).toContain("PolicyRefused");
    const stalledRow = await allocation(database, other.id);
    expect(stalledRow?.phase).toBe("stalled");
    expect(stalledRow?.conditions.find((c) => c.type === "Stalled")).toMatchObject({ status: "True", reason: "PolicyRefused" });
    expect(stalledRow?.conditions.find((c) => c.type === "Ready")?.status).toBe("False");
    expect(await namespaceGone(kube.core, other.namespace)).toBe(true);

    await org.as("security").exemptions.revoke({ id: exemptionId });
    await eventually("the system to become ready", async () => ((await allocation(database, other.id))?.phase === "ready" ? true : undefined));
    expect((await kube.core.readNamespace({ name: other.namespace })).metadata?.name).toBe(other.namespace);
    // The request that was reported failed reads active now, and says why it changed.
    const recovered = await eventually("the failed request to turn active", async () => {
      const r = await org.as("applicant").requests.get({ id: req.id });
      return r.state === "active" ? r : undefined;
    });
    expect(recovered.failureReason).toBeNull();
    const last = recovered.transitions.at(-1);
    expect(last).toMatchObject({ from: "failed", to: "active", actorRole: null });
    expect(last?.note).toContain("PolicyRefused");
  });

  it("removes the namespace when the system is released", async () => {
    const release = await fileAndApprove(org, system.id, "release");
    await untilActive(database, release);
    expect(await namespaceGone(kube.core, system.namespace)).toBe(true);
    const row = await allocation(database, system.id);
    expect(row?.phase).toBe("released");
    expect(row?.conditions.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "Released" });
    const live = await database.db
      .select()
      .from(networkSegments)
      .where(and(eq(networkSegments.systemId, system.id), isNull(networkSegments.releasedAt)));
    expect(live).toEqual([]);
    expect((await events(database, system.id)).map((e) => e.reason)).toEqual(expect.arrayContaining(["ReleaseStarted", "Released"]));
  });

  it("provisions a released system again when a new request is granted", async () => {
    // The released system's stack was removed; the controller must not reuse what it had opened.
    const again = await org.as("applicant").requests.create({
      systemId: system.id,
      kind: "new",
      resources: { vcpu: 1, memory_gib: 2, storage_encrypted_gib: 5 },
      segmentPrefix: null,
      justification: "系统重新上线",
      submit: true,
    });
    await approveAll(org, again.id);
    await untilActive(database, again.id);
    const ns = await kube.core.readNamespace({ name: system.namespace });
    expect(ns.metadata?.labels).toMatchObject({ "zhengyun.gov.cn/level": "3" });
    expect(await quota(system.namespace, "zhengyun-resource-limits")).toMatchObject({ "limits.cpu": "1", "limits.memory": "2Gi" });
    expect((await allocation(database, system.id))?.phase).not.toBe("released");
  });
});
