// npm run bench:reconcile -w e2e [-- --sizes 100,534 --samples 10 --concurrency 4]
//
// On a fresh local control plane and a database of its own:
//   1. approval → Ready latency (p50/p95) for one system at a time;
//   2. time to reconcile N new systems from an empty cluster (N = 100 and 534, Yangzhou's count);
//   3. a no-op pass over the N systems: the periodic check (live comparison, usage, evidence) and a forced
//      engine run that finds nothing to change;
//   4. the floor: server-side apply of the same objects with @kubernetes/client-node alone.
// Needs DATABASE_URL (a PostgreSQL server) and the toolchain (node infra/toolchain/ensure.mjs).

import { parseArgs } from "node:util";
import * as k8s from "@kubernetes/client-node";
import type { Controller } from "@zhengyun/controller/controller";
import { loadSnapshot } from "@zhengyun/controller/db/snapshot";
import { desiredState } from "@zhengyun/controller/desired/build";
import { isolatedDatabase, startController, stateDir, testConfig } from "@zhengyun/controller/testing/fixtures";
import { allocations, reconcileStates } from "@zhengyun/db/schema";
import { startLocalCluster } from "@zhengyun/infra/cluster/local-cluster";
import type { KubeObject } from "@zhengyun/infra/components/objects";
import { makeOrg, type Org, requestIn } from "@zhengyun/portal/test/harness";
import { and, inArray, sql } from "drizzle-orm";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,534" },
    samples: { type: "string", default: "10" },
    concurrency: { type: "string", default: "4" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const samples = Number(values.samples);
const concurrency = Number(values.concurrency);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const results: string[] = [];
const report = (line: string) => {
  console.log(line);
  results.push(line);
};

const cluster = await startLocalCluster({});
process.env.KUBECONFIG = cluster.kubeconfigPath;
const isolated = await isolatedDatabase("zy_bench");
const { database } = isolated;
const state = await stateDir();
const kc = new k8s.KubeConfig();
kc.loadFromFile(cluster.kubeconfigPath);
const objectsApi = k8s.KubernetesObjectApi.makeApiClient(kc);
let controller: Controller | undefined;

/** 64 departments, as in Yangzhou; systems are spread over them. */
const orgs: Org[] = [];
async function org(i: number): Promise<Org> {
  while (orgs.length < 64) orgs.push(await makeOrg(database, { level: 2 }));
  return orgs[i % orgs.length]!;
}

async function approved(n: number, offset = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { system } = await requestIn(await org(offset + i), "provisioning", { level: 2, vcpu: 1 + (i % 4) });
    ids.push(system.id);
  }
  return ids;
}

async function untilAll(ids: string[], done: (phase: string, observed: number, generation: number) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await database.db
      .select({ phase: allocations.phase, observed: allocations.observedGeneration, generation: allocations.generation })
      .from(allocations)
      .where(inArray(allocations.systemId, ids));
    const left = rows.filter((r) => !done(r.phase, r.observed, r.generation)).length;
    if (left === 0 && rows.length === ids.length) return;
    if (Date.now() > deadline) throw new Error(`${left} of ${ids.length} systems not done in time`);
    await sleep(100);
  }
}
const isReady = (phase: string, observed: number, generation: number) => phase === "ready" && observed === generation;

async function settleChecks(ids: string[], since: Date): Promise<void> {
  for (;;) {
    const [row] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(reconcileStates)
      .where(and(inArray(reconcileStates.systemId, ids), sql`${reconcileStates.checkDueAt} > ${since.toISOString()}::timestamptz + interval '1 minute'`));
    if ((row?.n ?? 0) >= ids.length) return;
    await sleep(100);
  }
}

async function floor(ids: string[]): Promise<number> {
  // The same objects, renamed into namespaces of their own, applied with one client and the same parallelism.
  const sets: KubeObject[][] = [];
  for (const id of ids) {
    const snapshot = await loadSnapshot(database.db, id);
    const desired = snapshot && desiredState({ ...snapshot, namespace: `floor-${snapshot.namespace}`.slice(0, 50) });
    if (desired?.action === "apply") sets.push(desired.objects);
  }
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < sets.length) {
        const objects = sets[next++]!;
        for (const object of objects) {
          await objectsApi.patch(object as k8s.KubernetesObject, undefined, undefined, "zhengyun-bench-floor", true, k8s.PatchStrategy.ServerSideApply);
        }
      }
    }),
  );
  const elapsed = Date.now() - started;
  const namespaces = sets.map((objects) => objects[0]!.metadata.name);
  await Promise.all(namespaces.map((name) => objectsApi.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name } }).catch(() => undefined)));
  return elapsed;
}

try {
  console.log(`[bench] cluster up, database ${isolated.url.replace(/\/\/[^@/]*@/, "//***@")}, concurrency ${concurrency}`);
  controller = await startController(database, testConfig(isolated.url, state.dir, { concurrency, checkIntervalMs: 3_600_000 }));

  // 1. Latency, one system at a time.
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const o = await org(i);
    // A level 2 request is provisioned at the ops approval: time from that call.
    const { system, request } = await requestIn(o, "dept_approved", { level: 2 });
    const t0 = Date.now();
    await o.as("ops").requests.approve({ id: request.id });
    await untilAll([system.id], isReady, 120_000);
    latencies.push(Date.now() - t0);
  }
  report(`approval → Ready (${samples} systems, one at a time): p50 ${fmt(pct(latencies, 50))}, p95 ${fmt(pct(latencies, 95))}`);

  // 2. N new systems at once.
  let created: string[] = [];
  for (const n of sizes) {
    await controller.stop(120_000);
    const ids = await approved(n, created.length);
    const t0 = Date.now();
    controller = await startController(database, testConfig(isolated.url, state.dir, { concurrency, checkIntervalMs: 3_600_000 }));
    await untilAll(ids, isReady, 3_600_000);
    const elapsed = Date.now() - t0;
    report(`${n} new systems approved → all Ready: ${fmt(elapsed)} (${fmt(elapsed / n)} per system)`);
    created = ids;
  }

  // 3. No-op passes over the last batch.
  let t0 = new Date();
  await database.db.update(reconcileStates).set({ checkDueAt: sql`now()` }).where(inArray(reconcileStates.systemId, created));
  await database.db.execute(sql`select pg_notify('zhengyun_allocations', '')`);
  await settleChecks(created, t0);
  report(`no-op check pass over ${created.length} systems (live comparison, usage and evidence, nothing drifted): ${fmt(Date.now() - t0.getTime())}`);

  t0 = new Date();
  await database.db.update(reconcileStates).set({ appliedHash: null }).where(inArray(reconcileStates.systemId, created));
  await database.db.update(allocations).set({ phase: "pending" }).where(inArray(allocations.systemId, created));
  await database.db.execute(sql`select pg_notify('zhengyun_allocations', '')`);
  await untilAll(created, isReady, 3_600_000);
  report(`no-op engine pass over ${created.length} systems (pulumi up on every stack, nothing to change): ${fmt(Date.now() - t0.getTime())}`);

  // 4. The floor.
  const floorMs = await floor(created);
  report(
    `floor: server-side apply of the same objects with @kubernetes/client-node, ${created.length} systems: ${fmt(floorMs)} (${fmt(floorMs / created.length)} per system)`,
  );
} finally {
  await controller?.stop(60_000).catch(() => undefined);
  await isolated.drop().catch(() => undefined);
  await state.remove();
  await cluster.stop();
}
console.log(`\n${results.join("\n")}`);
process.exit(0);
