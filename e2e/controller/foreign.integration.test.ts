// A hole opened by hand: a cluster administrator adds an allow-all NetworkPolicy to a level 3
// system's namespace. The next check names it in the evidence (the network controls are not in
// force) and in the drift record; in report-only mode it stays, with healing on it is removed,
// audited, and the evidence reads enforced again. Real PostgreSQL, controller, Pulumi and cluster.

import type * as k8s from "@kubernetes/client-node";
import { requestCheck } from "@zhengyun/controller/claims/claims";
import { apiCode, events, eventually, kubeClient, untilActive } from "@zhengyun/controller/testing/fixtures";
import { auditLog, evidenceReports, informationSystems } from "@zhengyun/db/schema";
import type { EvidenceReport } from "@zhengyun/policies";
import { requestIn } from "@zhengyun/portal/test/harness";
import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { controllerJourney } from "./journey.js";

const kube = kubeClient();
const HOLE = "opened-by-hand";

function control(report: EvidenceReport, id: string) {
  const found = report.controls.find((c) => c.id === id);
  if (!found) throw new Error(`no control ${id} in the report`);
  return found;
}

describe("a NetworkPolicy added outside the platform", async () => {
  const { database, org } = await controllerJourney({ org: { level: 3 } });
  let system: { id: string; namespace: string };

  const latestEvidence = async () =>
    (await database.db.select().from(evidenceReports).where(eq(evidenceReports.systemId, system.id)).orderBy(desc(evidenceReports.id)).limit(1))[0];
  /** Healing or report-only is the system's setting; set here as ops would have it set. */
  const reportOnly = (value: boolean) => database.db.update(informationSystems).set({ driftReportOnly: value }).where(eq(informationSystems.id, system.id));
  const holeExists = async () => {
    try {
      await kube.networking.readNamespacedNetworkPolicy({ namespace: system.namespace, name: HOLE });
      return true;
    } catch (err) {
      if (apiCode(err) === 404) return false;
      throw err;
    }
  };

  it("is applied by a cluster administrator to a level 3 system whose evidence reads enforced", async () => {
    const filed = await requestIn(org, "provisioning", { level: 3, vcpu: 2, segmentPrefix: 28 });
    system = filed.system;
    await untilActive(database, filed.request.id);
    const before = await eventually("a first evidence report", latestEvidence);
    expect(before.drifted).toBe(0);

    const body: k8s.V1NetworkPolicy = {
      metadata: { name: HOLE },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] },
    };
    await kube.networking.createNamespacedNetworkPolicy({ namespace: system.namespace, body });
  });

  it("in report-only mode: the next check marks the network controls not in force, naming it, and leaves it", async () => {
    await reportOnly(true);
    const eventsBefore = (await events(database, system.id)).length;
    await requestCheck(database.pool!, system.id);
    const reported = await eventually("the foreign policy to be reported", async () =>
      (await events(database, system.id)).slice(eventsBefore).find((e) => e.reason === "DriftDetected"),
    );
    expect(reported.message).toContain(`NetworkPolicy ${system.namespace}/${HOLE} added outside the platform`);
    expect(reported.message).toContain("only reported");

    const report = await eventually("evidence naming it", async () => {
      const latest = await latestEvidence();
      return latest && latest.drifted > 0 ? latest.report : undefined;
    });
    for (const id of ["network-default-deny", "zone-egress"]) {
      const c = control(report, id);
      expect(c.status, id).toBe("drifted");
      expect(c.foreign, id).toEqual([expect.objectContaining({ kind: "NetworkPolicy", name: HOLE, namespace: system.namespace })]);
      // The platform's own objects are all in place: the foreign one alone puts the control out of force.
      expect(
        c.objects.every((o) => o.status === "present"),
        id,
      ).toBe(true);
    }
    expect(control(report, "psa").foreign).toEqual([]);
    expect(await holeExists()).toBe(true);

    const audit = await database.db.select().from(auditLog).where(eq(auditLog.targetId, system.id));
    const detected = audit.filter((a) => a.action === "system.drift_detected").at(-1);
    expect(detected?.after).toMatchObject({ heal: false, findings: [expect.objectContaining({ kind: "NetworkPolicy", name: HOLE, change: "foreign" })] });
  });

  it("with healing on: the next check removes it, audits it, and the evidence reads enforced again", async () => {
    await reportOnly(false);
    const eventsBefore = (await events(database, system.id)).length;
    await requestCheck(database.pool!, system.id);
    const reasons = await eventually("the foreign policy to be removed", async () => {
      const fresh = (await events(database, system.id)).slice(eventsBefore).map((e) => e.reason);
      return fresh.includes("DriftHealed") ? fresh : undefined;
    });
    // Already recorded as detected by the previous check (the same findings are recorded once).
    expect(reasons).toEqual(expect.arrayContaining(["HealStarted", "Healed", "DriftHealed"]));
    expect(await holeExists()).toBe(false);

    const audit = await database.db.select().from(auditLog).where(eq(auditLog.targetId, system.id));
    const healed = audit.filter((a) => a.action === "system.drift_healed").at(-1);
    expect(healed?.before).toMatchObject({ findings: [expect.objectContaining({ kind: "NetworkPolicy", name: HOLE, change: "foreign" })] });
    expect(healed?.actorName).toBe("zhengyun-controller");

    const restored = await eventually("evidence of the restored controls", async () => {
      const latest = await latestEvidence();
      return latest?.drifted === 0 ? latest.report : undefined;
    });
    for (const id of ["network-default-deny", "zone-egress"]) {
      expect(control(restored, id).status, id).toBe("enforced");
      expect(control(restored, id).foreign, id).toEqual([]);
    }
  });
});
