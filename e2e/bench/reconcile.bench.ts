// npm run bench:reconcile -w e2e [-- --sizes 534,5000 --sample 60 --replicas 1,2,3 --concurrency 4 --drift 0.1 --peer kyverno]
//
// Disaster recovery and steady state for a seeded platform, in one run, each table printed with the
// machine's load average:
//   1. rebuild: a seed's database (534 systems: `bench`; 5,000: `province`) onto an empty local
//      cluster, the platform baseline included, by 1, 2 and 3 controller processes claiming from the
//      one queue; wall time, throughput, the ratio to a server-side-apply floor of the same objects
//      measured in the same run, and the applies each system got (from reconcile_runs: must be 1);
//   2. steady state: the check pass (live comparison, usage, evidence) over the rebuilt systems with
//      a share of them drifted by hand, healed by the engine;
//   3. profile: where one system's update spends its time (CLI start, engine and provider start,
//      API calls), and the queue's queries at the seed's full size (database).
// `--sample S` rebuilds every k-th system of the seed (k = systems / S, in system id order); the
// others are held out of the queue by a lease that never expires. Figures for the whole seed are
// extrapolated linearly from the sample and marked so. Needs DATABASE_URL and the toolchain.
// `--peer kyverno`: after the floor, on the same cluster, Kyverno (built once by
// bench/peer/build-kyverno.sh, outside CI) generates the same per-namespace objects for the same
// sampled systems from one generate ClusterPolicy per level; its time to settle is printed beside
// ours and the floor's.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { upStack } from "@zhengyun/controller/apply/operations";
import { providerProgram, tenantProgram } from "@zhengyun/controller/apply/programs";
import { loadConfig } from "@zhengyun/controller/config";
import { loadSnapshot } from "@zhengyun/controller/db/snapshot";
import { desiredState } from "@zhengyun/controller/desired/build";
import { clusterIdentity } from "@zhengyun/controller/kube";
import { stateDir, TEST_PASSPHRASE } from "@zhengyun/controller/testing/fixtures";
import { type ControllerProcess, spawnController } from "@zhengyun/controller/testing/process";
import { type Database, migrateDatabase, openDatabase } from "@zhengyun/db/client";
import { CLAIMABLE, NEXT_DUE, QUEUE_DEPTH, WORK_DUE, WORK_FROM, WORK_ORDER } from "@zhengyun/db/work-queue";
import { startLocalCluster } from "@zhengyun/infra/cluster/local-cluster";
import type { KubeObject } from "@zhengyun/infra/components/objects";
import { toolPath } from "@zhengyun/infra/toolchain";
import { seed } from "@zhengyun/portal/db/seed/seed";
import pg from "pg";
import { ensureKyverno, KYVERNO_VERSION, type PeerResult, runPeer, startKyverno } from "./peer/kyverno.js";
import { type PeerSystem, peerPlan } from "./peer/kyverno-policies.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "534" },
    sample: { type: "string", default: "60" },
    replicas: { type: "string", default: "1,2,3" },
    concurrency: { type: "string", default: "4" },
    drift: { type: "string", default: "0.1" },
    compare: { type: "boolean", default: false },
    peer: { type: "string" },
  },
});
if (values.peer !== undefined && values.peer !== "kyverno") throw new Error(`--peer: ${values.peer} is not a known peer (kyverno)`);
const peer = values.peer === "kyverno" ? ensureKyverno() : undefined;
const sizes = values.sizes.split(",").map(Number);
const sampleSize = Number(values.sample);
const replicaCounts = values.replicas.split(",").map(Number);
const concurrency = Number(values.concurrency);
const driftShare = Number(values.drift);
const SEEDS: Record<number, "bench" | "province"> = { 534: "bench", 5000: "province" };
for (const n of sizes) if (!SEEDS[n]) throw new Error(`--sizes: ${n} is not a seed's size (534 or 5000)`);

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error("DATABASE_URL is not set");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");
const out: string[] = [];
const print = (line = "") => {
  console.log(line);
  out.push(line);
};
function table(title: string, header: string[], rows: (string | number)[][], notes: string[] = []): void {
  print(`\n### ${title}`);
  print(`load average (1 / 5 / 15 min): ${load()}`);
  print(`| ${header.join(" | ")} |`);
  print(`|${header.map(() => "---").join("|")}|`);
  for (const r of rows) print(`| ${r.join(" | ")} |`);
  for (const n of notes) print(`${n}`);
}
const urlOf = (name: string) => {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
};
async function admin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** A database holding the seed, made once and kept (its name carries the migration count). */
async function template(size: number): Promise<string> {
  const kind = SEEDS[size]!;
  // This checkout's migrations (not the server's: other checkouts may share it).
  const journal = JSON.parse(readFileSync(new URL("../../db/src/migrations/meta/_journal.json", import.meta.url), "utf8")) as { entries: unknown[] };
  const migrations = journal.entries.length;
  const name = `zy_bench_tpl_${kind}_m${migrations}`;
  const exists = await admin(async (c) => (await c.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1);
  if (exists) {
    print(`[bench] seed ${kind}: reusing database ${name}`);
    return name;
  }
  await admin((c) => c.query(`drop database if exists ${name}_new`));
  await admin((c) => c.query(`create database ${name}_new`));
  const database = await openDatabase({ url: urlOf(`${name}_new`), poolSize: 4 });
  await migrateDatabase(database);
  const t0 = Date.now();
  await seed(database.db, kind, (m) => console.log(`[seed] ${m}`));
  print(`[bench] seed ${kind}: ${s(Date.now() - t0)} (load ${load()})`);
  await database.close();
  await admin((c) => c.query(`alter database ${name}_new rename to ${name}`));
  return name;
}

async function copyOf(tpl: string, tag: string): Promise<{ url: string; database: Database; drop: () => Promise<void> }> {
  const name = `zy_bench_${tag}_${process.pid}`;
  await admin((c) => c.query(`drop database if exists ${name}`));
  await admin((c) => c.query(`create database ${name} template ${tpl}`));
  const database = await openDatabase({ url: urlOf(name), poolSize: 8 });
  return {
    url: urlOf(name),
    database,
    drop: async () => {
      await database.close();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

const ENSURE_ROWS = `insert into reconcile_states (system_id) select a.system_id from allocations a
  where not exists (select 1 from reconcile_states r where r.system_id = a.system_id) on conflict do nothing`;

/** Every k-th system with an allocation, in id order; the others are held out of the queue. */
async function sampleAndHold(database: Database, n: number): Promise<{ ids: string[]; total: number; k: number }> {
  await database.sql.query(ENSURE_ROWS);
  const { rows } = await database.sql.query<{ id: string }>("select system_id as id from allocations order by system_id");
  const k = Math.max(1, Math.floor(rows.length / n));
  const ids = rows
    .filter((_, i) => i % k === 0)
    .slice(0, n)
    .map((r) => r.id);
  await database.sql.query("update reconcile_states set lease_owner = 'bench-hold', lease_expires_at = 'infinity' where not (system_id = any($1::uuid[]))", [
    ids,
  ]);
  return { ids, total: rows.length, k };
}

const DONE = `select count(*)::int as n from ${WORK_FROM}
  where r.system_id = any($1::uuid[]) and a.observed_generation >= a.generation and a.phase in ('ready', 'released') and r.run_started_at is null`;

async function untilDone(database: Database, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = (await database.sql.query<{ n: number }>(DONE, [ids])).rows[0]?.n ?? 0;
    if (n >= ids.length) return;
    if (Date.now() > deadline) throw new Error(`${ids.length - n} of ${ids.length} systems not done in time`);
    await sleep(250);
  }
}

/** The applies (engine updates of a new generation) each system got, from the controller's own records. */
async function appliesPerSystem(database: Database, ids: string[]) {
  const { rows } = await database.sql.query<{ n: number; owner_count: number }>(
    `select count(*) filter (where action in ('apply', 'release') and result = 'succeeded')::int as n, count(distinct owner)::int as owner_count
       from reconcile_runs where system_id = any($1::uuid[]) group by system_id`,
    [ids],
  );
  const counts = rows.map((r) => r.n);
  const byOwner = (
    await database.sql.query<{ owner: string; n: number }>(
      "select owner, count(*)::int as n from reconcile_runs where system_id = any($1::uuid[]) and action in ('apply', 'release') group by owner order by owner",
      [ids],
    )
  ).rows;
  return {
    systems: rows.length,
    min: Math.min(...counts),
    max: Math.max(...counts),
    doubled: counts.filter((c) => c > 1).length,
    byOwner: byOwner.map((o) => `${o.owner.replace(/^bench-/, "")}: ${o.n}`).join(", "),
  };
}

/** Server-side apply of the sample's objects into namespaces of their own, with the same parallelism. */
async function floor(database: Database, objectsApi: k8s.KubernetesObjectApi, ids: string[], parallel: number): Promise<{ ms: number; objects: number }> {
  const sets: KubeObject[][] = [];
  for (const id of ids) {
    const snapshot = await loadSnapshot(database.db, id);
    const desired = snapshot && desiredState({ ...snapshot, namespace: `floor-${snapshot.namespace}`.slice(0, 50) });
    if (desired?.action === "apply") sets.push(desired.objects);
  }
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < sets.length) {
        for (const object of sets[next++]!)
          await objectsApi.patch(object as k8s.KubernetesObject, undefined, undefined, "zhengyun-bench-floor", true, k8s.PatchStrategy.ServerSideApply);
      }
    }),
  );
  const ms = Date.now() - started;
  await Promise.all(
    sets.map((objects) => objectsApi.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: objects[0]!.metadata.name } }).catch(() => undefined)),
  );
  return { ms, objects: sets.reduce((a, o) => a + o.length, 0) };
}

/** Deletes one NetworkPolicy (or, lacking one, the ResourceQuota) in a share of the systems' namespaces. */
async function drift(database: Database, objectsApi: k8s.KubernetesObjectApi, ids: string[]): Promise<number> {
  const chosen = ids.filter((_, i) => i % Math.max(1, Math.round(1 / driftShare)) === 0);
  let n = 0;
  for (const id of chosen) {
    const snapshot = await loadSnapshot(database.db, id);
    const desired = snapshot && desiredState(snapshot);
    if (desired?.action !== "apply") continue;
    const victim = desired.objects.find((o) => o.kind === "NetworkPolicy") ?? desired.objects.find((o) => o.kind === "ResourceQuota");
    if (!victim) continue;
    await objectsApi.delete(victim as k8s.KubernetesObject);
    n++;
  }
  return n;
}

/** The queue's statements at a seed's full size, every system applied and none due: the steady state's database cost. */
async function queueQueries(database: Database): Promise<Record<string, number>> {
  const client = await database.pool!.connect();
  const time = async (q: string, params: unknown[] = []) => {
    const { rows } = await client.query(`explain (analyze, format json) ${q}`, params);
    return (rows[0]["QUERY PLAN"][0]["Execution Time"] as number) ?? Number.NaN;
  };
  try {
    await client.query("begin");
    await client.query(ENSURE_ROWS);
    await client.query("update allocations set observed_generation = generation, phase = case when phase = 'released' then phase else 'ready' end");
    await client.query(
      "update reconcile_states set check_due_at = now() + interval '1 hour', lease_owner = null, lease_expires_at = null, run_started_at = null",
    );
    await client.query("update resource_requests set state = 'active' where state = 'provisioning'");
    await client.query("analyze reconcile_states; analyze allocations; analyze resource_requests");
    const pick = `select r.system_id from ${WORK_FROM} where ${CLAIMABLE} and ${WORK_DUE} order by ${WORK_ORDER} limit 4`;
    const best = async (q: string) => Math.min(await time(q), await time(q), await time(q));
    const result = { claim: await best(pick), nextDue: await best(NEXT_DUE), queueDepth: await best(QUEUE_DEPTH) };
    await client.query("rollback");
    return result;
  } finally {
    client.release();
  }
}

function cliStart(): number {
  const bin = toolPath("pulumi");
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    execFileSync(bin, ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    times.push(Date.now() - t0);
  }
  return Math.min(...times);
}

/** One system's update taken apart: a program with the provider alone, then the system's objects, then again with nothing to do. */
async function profileUpdate(database: Database, url: string, kubeconfig: string, core: k8s.CoreV1Api, id: string) {
  const snapshot = await loadSnapshot(database.db, id);
  const desired = snapshot && desiredState({ ...snapshot, namespace: `prof-${snapshot.namespace}`.slice(0, 50) });
  if (desired?.action !== "apply") throw new Error("profile: the sampled system has nothing to apply");
  const state = await stateDir();
  const config = loadConfig({ DATABASE_URL: url, KUBECONFIG: kubeconfig, PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE, ZHENGYUN_CONTROLLER_STATE_DIR: state.dir });
  const host = { backendUrl: config.pulumiBackendUrl, passphrase: config.pulumiPassphrase, stateDir: state.dir };
  const connection = { kubeconfig: config.kubeconfig, identifier: await clusterIdentity(core) };
  const rows: (string | number)[][] = [];
  try {
    rows.push(["pulumi CLI start (`pulumi version`, best of 3)", cliStart()]);
    let t0 = Date.now();
    await upStack(host, "zhengyun-bench", "provider-only", providerProgram(connection));
    rows.push(["first update of a new stack, provider only (workspace, engine, provider start, backend)", Date.now() - t0]);
    t0 = Date.now();
    await upStack(host, "zhengyun-bench", "provider-only", providerProgram(connection));
    rows.push(["update, provider only, nothing to do (engine + provider start, backend)", Date.now() - t0]);
    t0 = Date.now();
    await upStack(host, "zhengyun-bench", "system", tenantProgram(desired.spec, connection));
    rows.push([`first update of a system (${desired.objects.length} objects: + API calls)`, Date.now() - t0]);
    t0 = Date.now();
    await upStack(host, "zhengyun-bench", "system", tenantProgram(desired.spec, connection));
    rows.push(["the same system again, nothing to change", Date.now() - t0]);
    t0 = Date.now();
    await upStack(host, "zhengyun-bench", "system", tenantProgram(desired.spec, connection), { refresh: true });
    rows.push(["again with refresh (a heal's update)", Date.now() - t0]);
    // Before and after reading the summary from the engine's events, alternated (median of 3 each).
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const sdk: number[] = [];
    const lean: number[] = [];
    for (let i = 0; i < 3; i++) {
      for (const [mode, into] of [
        ["cli", sdk],
        ["", lean],
      ] as const) {
        process.env.ZHENGYUN_PULUMI_SUMMARY = mode;
        t0 = Date.now();
        await upStack(host, "zhengyun-bench", "system", tenantProgram(desired.spec, connection));
        into.push(Date.now() - t0);
      }
    }
    delete process.env.ZHENGYUN_PULUMI_SUMMARY;
    rows.push(["no-op update, summary read by 2 more CLI runs (before), median of 3", median(sdk)]);
    rows.push(["no-op update, summary from the engine's events (after), median of 3", median(lean)]);
  } finally {
    await state.remove();
  }
  return rows;
}

/** Kyverno generating the sample's per-namespace objects into namespaces of their own (see peer/). */
async function kyvernoPeer(database: Database, kubeconfigPath: string, objectsApi: k8s.KubernetesObjectApi, ids: string[]) {
  const systems: PeerSystem[] = [];
  for (const id of ids) {
    const snapshot = await loadSnapshot(database.db, id);
    if (!snapshot) continue;
    // Namespaces of their own, named like the floor's, the name inside the objects included.
    const desired = desiredState({ ...snapshot, namespace: `peer-${snapshot.namespace}`.slice(0, 50) });
    if (desired.action === "apply") systems.push({ level: snapshot.level, objects: desired.objects });
  }
  const plan = peerPlan(systems, (name) => name);
  console.log(`[bench] peer: kyverno ${KYVERNO_VERSION}, ${plan.policies.length} policies, ${plan.expected.length} objects, load ${load()}`);
  const kyverno = await startKyverno(kubeconfigPath, peer!.dir);
  try {
    const r = await runPeer(kubeconfigPath, plan, concurrency, 3_600_000);
    console.log(`[bench] peer: settled in ${s(r.settleMs)} (started in ${s(kyverno.startMs)}), ${r.mismatched} objects not as expected`);
    if (r.mismatchExample) console.log(`[bench] peer: e.g. ${r.mismatchExample}`);
    return { ...r, startMs: kyverno.startMs };
  } finally {
    await kyverno.stop();
    await Promise.all(
      plan.namespaces.map((n) => objectsApi.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: n.metadata.name } }).catch(() => undefined)),
    );
    for (const p of plan.policies) await objectsApi.delete(p as k8s.KubernetesObject).catch(() => undefined);
  }
}

interface Rebuild {
  size: number;
  replicas: number;
  sample: number;
  total: number;
  k: number;
  wallMs: number;
  applies: Awaited<ReturnType<typeof appliesPerSystem>>;
  floorMs?: number;
  floorObjects?: number;
  peer?: PeerResult & { startMs: number };
  steady?: { ms: number; drifted: number; healed: number; checked: number };
  label: string;
  queue?: Record<string, number>;
  profile?: (string | number)[][];
}

async function rebuild(size: number, replicas: number, primary: boolean, env: Record<string, string> = {}, label = ""): Promise<Rebuild> {
  const tpl = await template(size);
  const cluster = await startLocalCluster({});
  process.env.KUBECONFIG = cluster.kubeconfigPath;
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const objectsApi = k8s.KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const copy = await copyOf(tpl, `${size}_${replicas}`);
  const procs: ControllerProcess[] = [];
  try {
    const { ids, total, k } = await sampleAndHold(copy.database, sampleSize);
    console.log(`[bench] ${size}: rebuilding ${ids.length} of ${total} systems (every ${k}th) with ${replicas} controller(s), load ${load()}`);
    const t0 = Date.now();
    for (let i = 0; i < replicas; i++)
      procs.push(
        await spawnController(`bench-r${replicas}-${i + 1}`, copy.url, {
          KUBECONFIG: cluster.kubeconfigPath,
          ZHENGYUN_CONTROLLER_CONCURRENCY: String(concurrency),
          ZHENGYUN_LEASE_TTL_MS: "30000",
          ZHENGYUN_RESYNC_INTERVAL_MS: "2000",
          LOG_LEVEL: "warn",
          ...env,
        }),
      );
    await untilDone(copy.database, ids, 3_600_000);
    const wallMs = Date.now() - t0;
    const applies = await appliesPerSystem(copy.database, ids);
    const result: Rebuild = { size, replicas, sample: ids.length, total, k, wallMs, applies, label };
    console.log(`[bench] ${size} × ${replicas}: ${s(wallMs)}, applies per system ${applies.min}–${applies.max}`);
    if (primary) {
      await Promise.all(procs.slice(1).map((p) => p.stop()));
      const f = await floor(copy.database, objectsApi, ids, concurrency);
      result.floorMs = f.ms;
      result.floorObjects = f.objects;
      if (peer) result.peer = await kyvernoPeer(copy.database, cluster.kubeconfigPath, objectsApi, ids);
      // Steady state: a check of every rebuilt system, some of them drifted by hand.
      const drifted = await drift(copy.database, objectsApi, ids);
      // A released system holds nothing on the cluster and is never checked.
      const checkable = (
        await copy.database.sql.query<{ id: string }>("select system_id as id from allocations where system_id = any($1::uuid[]) and phase <> 'released'", [
          ids,
        ])
      ).rows.map((r) => r.id);
      const since = (await copy.database.sql.query<{ now: Date }>("select now()")).rows[0]!.now;
      await copy.database.sql.query("update reconcile_states set check_due_at = now() where system_id = any($1::uuid[])", [checkable]);
      await copy.database.sql.query("select pg_notify('zhengyun_allocations', '')");
      for (;;) {
        const { rows } = await copy.database.sql.query<{ n: number }>(
          "select count(*)::int as n from reconcile_states where system_id = any($1::uuid[]) and check_due_at > $2::timestamptz + interval '1 hour' and lease_owner is null",
          [checkable, since.toISOString()],
        );
        if ((rows[0]?.n ?? 0) >= checkable.length) break;
        await sleep(250);
      }
      const ms = Date.now() - since.getTime();
      const healed =
        (
          await copy.database.sql.query<{ n: number }>(
            "select count(*)::int as n from reconcile_runs where system_id = any($1::uuid[]) and action = 'heal' and result = 'succeeded' and started_at >= $2",
            [ids, since],
          )
        ).rows[0]?.n ?? 0;
      result.steady = { ms, drifted, healed, checked: checkable.length };
      result.profile = await profileUpdate(copy.database, copy.url, cluster.kubeconfigPath, core, ids[0]!);
      result.queue = await queueQueries(copy.database);
    }
    console.log(`[bench] result ${JSON.stringify(result)}`);
    return result;
  } finally {
    await Promise.all(procs.map((p) => p.stop().catch(() => p.kill())));
    await Promise.all(procs.map((p) => p.cleanUp()));
    await copy.drop().catch(() => undefined);
    await cluster.stop();
  }
}

print(`# reconcile benchmark — ${new Date().toISOString()}, ${concurrency} systems at a time per controller, sample ${sampleSize}`);
const results: Rebuild[] = [];
for (const size of sizes) {
  const counts = size === sizes[0] ? replicaCounts : [1];
  for (const r of counts) results.push(await rebuild(size, r, r === 1));
}
// Before the change, back to back: the SDK's summary reads after every update.
const before = values.compare ? await rebuild(sizes[0]!, 1, false, { ZHENGYUN_PULUMI_SUMMARY: "cli" }, "before") : undefined;

const extrapolate = (r: Rebuild, ms: number) =>
  r.sample < r.total ? `≈ ${s((ms * r.total) / r.sample)} (extrapolated ×${(r.total / r.sample).toFixed(1)})` : s(ms);
const primaries = results.filter((r) => r.replicas === 1);
if (before) {
  const after = primaries[0]!;
  table(
    `Before / after: summary read from the engine's events instead of 2 more CLI runs per update (seed ${after.size}, 1 controller)`,
    ["run", "rebuilt", "wall", "per system", "applies per system"],
    [before, after].map((r) => [
      r.label || "after",
      r.sample,
      s(r.wallMs),
      `${(r.wallMs / r.sample / 1000).toFixed(2)} s`,
      `${r.applies.min}–${r.applies.max}`,
    ]),
  );
}
table(
  "Rebuild onto an empty cluster (baseline included), 1 controller",
  ["seed (systems)", "with resources", "rebuilt", "wall", "per system", "floor (SSA, same objects)", "ratio to floor", "all with resources"],
  primaries.map((r) => [
    `${r.size}`,
    `${r.total}`,
    `${r.sample} (every ${r.k}th)`,
    s(r.wallMs),
    `${(r.wallMs / r.sample / 1000).toFixed(2)} s`,
    `${s(r.floorMs!)} (${r.floorObjects} objects)`,
    `${(r.wallMs / r.floorMs!).toFixed(1)}×`,
    extrapolate(r, r.wallMs),
  ]),
);
if (peer)
  table(
    `Peer: Kyverno ${KYVERNO_VERSION} generate policies, same objects, same namespaces, same cluster (${peer.build || "build record missing"})`,
    [
      "seed",
      "namespaces",
      "objects",
      "ours (rebuild, 1 controller)",
      "floor (SSA)",
      "Kyverno settle",
      "Kyverno / floor",
      "ours / floor",
      "ours / Kyverno",
      "Kyverno start",
      "policies ready",
      "namespaces created",
      "not as expected",
    ],
    primaries
      .filter((r) => r.peer)
      .map((r) => [
        `${r.size}`,
        r.peer!.namespaces,
        r.peer!.objects,
        s(r.wallMs),
        s(r.floorMs!),
        s(r.peer!.settleMs),
        `${(r.peer!.settleMs / r.floorMs!).toFixed(1)}×`,
        `${(r.wallMs / r.floorMs!).toFixed(1)}×`,
        `${(r.wallMs / r.peer!.settleMs).toFixed(1)}×`,
        s(r.peer!.startMs),
        s(r.peer!.policiesReadyMs),
        s(r.peer!.createMs),
        r.peer!.mismatched,
      ]),
    [
      "Kyverno settle: from the first namespace created (policies ready, webhooks registered) until every generated object exists in every namespace; it includes creating the namespaces.",
      "ours: the rebuild above (namespaces and objects through the engine, baseline included); floor: server-side apply of the same namespaces and objects.",
    ],
  );
const first = results.filter((r) => r.size === sizes[0]);
table(
  `Replicas: controller processes on one PostgreSQL, one queue (seed ${sizes[0]}, ${first[0]?.sample} systems)`,
  ["controllers", "wall", "systems/min", "speed-up", "applies per system (min–max)", "systems applied twice", "applies by controller"],
  first.map((r) => [
    r.replicas,
    s(r.wallMs),
    ((r.sample * 60_000) / r.wallMs).toFixed(1),
    `${(first[0]!.wallMs / r.wallMs).toFixed(2)}×`,
    `${r.applies.min}–${r.applies.max}`,
    r.applies.doubled,
    r.applies.byOwner,
  ]),
);
table(
  "Steady state: one check of every rebuilt system (live comparison, usage, evidence), some drifted by hand",
  ["seed (systems)", "with resources", "checked", "drifted → healed", "wall", "per system", "all with resources"],
  primaries.map((r) => [
    `${r.size}`,
    `${r.total}`,
    r.steady!.checked,
    `${r.steady!.drifted} → ${r.steady!.healed}`,
    s(r.steady!.ms),
    `${Math.round(r.steady!.ms / r.steady!.checked)} ms`,
    extrapolate(r, r.steady!.ms),
  ]),
);
table(
  "Where an update's time goes (one system, profile)",
  ["step", ...primaries.map((r) => `ms (seed ${r.size})`)],
  primaries[0]!.profile!.map((row, i) => [row[0]!, ...primaries.map((r) => r.profile![i]![1]!)]),
);
table(
  "Database: the queue's statements at the seed's full size, all systems applied, none due (execution time, best of 3)",
  ["statement", ...primaries.map((r) => `ms (seed ${r.size}: ${r.total} with resources)`)],
  (["claim", "nextDue", "queueDepth"] as const).map((q) => [q, ...primaries.map((r) => r.queue![q]!.toFixed(2))]),
);
console.log(`\n${"=".repeat(60)}\n${out.join("\n")}`);
process.exit(0);
