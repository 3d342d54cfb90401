// Controller processes as they run in production (`npm start`): one killed with SIGKILL in the
// middle of an apply and a new one started, and two replicas sharing one database.

import { allocation, events, eventually, isolatedDatabase, kubeClient, runs, untilActive } from "@zhengyun/controller/testing/fixtures";
import { type ControllerProcess, pulumiProcessesUnder, spawnController, stillRunning, untilRunning } from "@zhengyun/controller/testing/process";
import { reconcileRuns, reconcileStates } from "@zhengyun/db/schema";
import { makeOrg, requestIn } from "@zhengyun/portal/test/harness";
import { eq, isNotNull } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";

const kube = kubeClient();

/** The HTTP port a controller process reported when it started. */
function httpPort(proc: ControllerProcess): number {
  const line = proc.lines.find((l) => l.includes('"msg":"controller starting"'));
  const port = line ? (JSON.parse(line) as { port?: number }).port : undefined;
  if (!port) throw new Error(`controller ${proc.id} logged no port`);
  return port;
}

describe("controller processes", async () => {
  const isolated = await isolatedDatabase();
  const { database } = isolated;
  const started: ControllerProcess[] = [];
  const all: ControllerProcess[] = [];
  const start = async (id: string) => {
    const proc = await spawnController(id, isolated.url);
    started.push(proc);
    all.push(proc);
    await untilRunning(proc);
    return proc;
  };

  afterAll(async () => {
    await Promise.all(all.map((p) => p.kill()));
    await Promise.all(all.map((p) => p.cleanUp()));
    await isolated.drop();
  }, 60_000);

  const org = await makeOrg(database, { level: 2 });

  it("converges after the controller is killed with SIGKILL in the middle of an apply", async () => {
    const first = await start("replica-killed");
    let victim: { systemId: string; requestId: string; namespace: string } | undefined;
    const leftBehind: number[] = [];
    // Kill as soon as the engine has created something; try again in the rare case the apply
    // finished between the last poll and the kill.
    for (let attempt = 0; attempt < 3 && !victim; attempt++) {
      const proc = attempt === 0 ? first : await start(`replica-killed-${attempt}`);
      const { system, request } = await requestIn(org, "provisioning", { level: 2 });
      await eventually(
        "the apply to be under way",
        async () => {
          const row = await allocation(database, system.id);
          const progress = row?.outputs.progress as { step?: string; done?: number } | undefined;
          return progress?.step === "applying" && (progress.done ?? 0) >= 1 ? true : undefined;
        },
        60_000,
        10,
      );
      leftBehind.push(...pulumiProcessesUnder(proc.child.pid!));
      await proc.kill();
      const [run] = await runs(database, system.id);
      if (run && run.finishedAt === null) victim = { systemId: system.id, requestId: request.id, namespace: system.namespace };
    }
    expect(victim, "a run killed before it finished").toBeDefined();
    const { systemId, requestId, namespace } = victim!;
    const [state] = await database.db.select().from(reconcileStates).where(eq(reconcileStates.systemId, systemId));
    expect(state?.runStartedAt).not.toBeNull();
    expect(state?.leaseOwner).toMatch(/^replica-killed/);

    await start("replica-restarted");
    // The killed engine's plugins outlived it (they run in process groups of their own); the
    // next controller to start ends them.
    expect(leftBehind.length).toBeGreaterThan(0);
    // SIGKILL is delivered at once but a process ends a moment later.
    await eventually("the orphaned plugins to end", async () => (stillRunning(leftBehind).length === 0 ? true : undefined), 15_000);
    await untilActive(database, requestId, 120_000);

    const history = await runs(database, systemId);
    expect(history.map((r) => [r.result, r.owner.replace(/-\d+$/, "")])).toEqual([
      ["interrupted", "replica-killed"],
      ["succeeded", "replica-restarted"],
    ]);
    const reasons = (await events(database, systemId)).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(["RunInterrupted", "StackRepaired", "Applied"]));
    const row = await allocation(database, systemId);
    expect(row).toMatchObject({ phase: "ready", observedGeneration: row?.generation });
    const quota = await kube.core.readNamespacedResourceQuota({ namespace, name: "zhengyun-resource-limits" });
    expect(quota.spec?.hard).toMatchObject({ "limits.cpu": "2", "limits.memory": "4Gi" });
    const policies = await kube.networking.listNamespacedNetworkPolicy({ namespace });
    expect(policies.items.map((p) => p.metadata?.name)).toContain("zhengyun-default-deny");
    const [after] = await database.db.select().from(reconcileStates).where(eq(reconcileStates.systemId, systemId));
    expect(after).toMatchObject({ runStartedAt: null, leaseOwner: null });
  });

  it("stops on SIGTERM in the middle of an apply and leaves no engine or plugin running", async () => {
    const proc = await start("replica-stopped");
    // The engine and its provider run for a few seconds of each apply; on a loaded machine the
    // poll can miss that window, and then the next system's apply is tried.
    let caught: { requestId: string; engine: number[] } | undefined;
    for (let attempt = 0; attempt < 3 && !caught; attempt++) {
      const { request, system } = await requestIn(org, "provisioning", { level: 2 });
      await eventually(
        "the apply to be under way",
        async () => {
          const row = await allocation(database, system.id);
          return (row?.outputs.progress as { step?: string } | undefined)?.step === "applying" ? true : undefined;
        },
        60_000,
        10,
      );
      const seen = await eventually(
        "the engine to run under the controller, or the apply to end",
        async () => {
          const found = pulumiProcessesUnder(proc.child.pid!);
          if (found.some((pid) => stillRunning([pid]).length) && found.length > 1) return { engine: found };
          const row = await allocation(database, system.id);
          return (row?.outputs.progress as { step?: string } | undefined)?.step === "applying" ? undefined : { engine: undefined };
        },
        60_000,
        10,
      );
      if (seen.engine) caught = { requestId: request.id, engine: seen.engine };
    }
    expect(caught, "an engine and its provider seen under the controller during an apply").toBeDefined();
    const { requestId, engine } = caught!;
    expect(await proc.stop()).toBe(0);
    started.splice(started.indexOf(proc), 1);
    await eventually("the engine and its plugins to end", async () => (stillRunning(engine).length === 0 ? true : undefined), 30_000);
    // The system converges under the next controller.
    await start("replica-after-stop");
    await untilActive(database, requestId, 120_000);
  });

  it("never lets two replicas apply the same system at the same time", async () => {
    await Promise.all(started.map((p) => p.stop()));
    started.length = 0;
    const [a, b] = await Promise.all([start("replica-a"), start("replica-b")]);
    const filed = [];
    for (let i = 0; i < 6; i++) filed.push(await requestIn(org, "provisioning", { level: 2, vcpu: 1 + (i % 3) }));
    for (const { request } of filed) await untilActive(database, request.id, 180_000);

    const ids = new Set(filed.map((f) => f.system.id));
    const all = (await database.db.select().from(reconcileRuns).where(isNotNull(reconcileRuns.finishedAt))).filter((r) => ids.has(r.systemId));
    expect(all.length).toBeGreaterThanOrEqual(filed.length);
    for (const systemId of ids) {
      const mine = all.filter((r) => r.systemId === systemId).sort((x, y) => x.startedAt.getTime() - y.startedAt.getTime());
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(mine[i - 1]!.finishedAt!.getTime());
    }
    // Both took part: work was shared, not merely serialised behind one replica.
    expect(new Set(all.map((r) => r.owner))).toEqual(new Set(["replica-a", "replica-b"]));
    expect(all.every((r) => r.result === "succeeded")).toBe(true);

    // Each serves health and metrics.
    for (const proc of [a, b]) {
      const base = `http://127.0.0.1:${httpPort(proc)}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/zhengyun_reconcile_duration_seconds_count\{action="apply",result="succeeded"\} [1-9]/);
      expect(metrics).toMatch(/zhengyun_reconcile_queue_depth 0/);
      expect(metrics).toContain("zhengyun_drift_found_total");
      expect(metrics).toContain("zhengyun_reconcile_failures_total");
    }
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
    started.length = 0;
  });
});
