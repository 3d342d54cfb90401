/**
 * API benchmark: a portal process on PostgreSQL with the 64-department / 534-system seed, loaded
 * by autocannon from this process. Prints p50/p99 latency and requests/s per scenario, at a fixed
 * 200 requests/s and flat out, with the CPU the portal, PostgreSQL and the load generator spent.
 * Usage: npm run bench:api -w portal [-- --help]  (DATABASE_URL names the server; a database
 * `zhengyun_bench`, or BENCH_DATABASE, is created afresh there).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { type Database, migrateDatabase, openDatabase } from "@zhengyun/db/client";
import type { Actor, ServiceContext } from "@zhengyun/db/context";
import { informationSystems, resourceRequests, roleAssignments, users } from "@zhengyun/db/schema";
import autocannon from "autocannon";
import { and, eq, like, sql } from "drizzle-orm";
import pg from "pg";
import { DEFAULT_AUTH_POLICY } from "../src/auth/policy.js";
import { deriveSecretKey } from "../src/auth/secrets.js";
import { DEMO_PASSWORD } from "../src/db/seed/data.js";
import { isSeeded, seed } from "../src/db/seed/seed.js";
import { approveRequest } from "../src/services/requests/approvals.js";
import { createRequest } from "../src/services/requests/drafts.js";
import { gradeSystem, registerSystem } from "../src/services/systems-service.js";
import { enrolTotp, totpCode } from "../test/auth/totp.js";

const serverUrl = process.env.DATABASE_URL ?? "postgres://zhengyun:zhengyun@127.0.0.1:5432/zhengyun";
const benchUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${process.env.BENCH_DATABASE ?? "zhengyun_bench"}`;
  return u.toString();
})();

const USAGE = `npm run bench:api -w portal -- [options]

  --only <regexp>      run only the scenarios whose name matches (env BENCH_ONLY)
  --seconds <n>        seconds per load run (env BENCH_SECONDS, default 15)
  --approvals <n>      requests prepared for the approve scenario (env BENCH_APPROVALS, default 600)
  --reuse              keep the bench database when it is already seeded (no drop, no re-seed)
  --cpu <n>            instead of load runs: <n> requests one after another per read scenario
                       (after a warm-up), and the CPU time per request of the portal process and
                       of its PostgreSQL backends (from /proc), independent of other load
  --portal-dir <dir>   run the portal from another checkout's portal folder (to compare two
                       versions on the same database and machine)
  --help               this text

Each load row prints the CPU the portal, its PostgreSQL backends and the load generator spent
during the run (percent of one core), and the load average: all of them share the machine.`;

const args = parseArgs({
  options: {
    only: { type: "string" },
    seconds: { type: "string" },
    approvals: { type: "string" },
    reuse: { type: "boolean", default: false },
    cpu: { type: "string" },
    "portal-dir": { type: "string" },
    help: { type: "boolean", default: false },
  },
}).values;
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const DURATION = Number(args.seconds ?? process.env.BENCH_SECONDS ?? 15);
const APPROVALS = Number(args.approvals ?? process.env.BENCH_APPROVALS ?? 600);
const CPU_REQUESTS = args.cpu === undefined ? null : Number(args.cpu);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function prepareDatabase() {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = new URL(benchUrl).pathname.slice(1);
  const exists = (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;
  if (args.reuse && exists) {
    await admin.end();
    const database = await openDatabase({ url: benchUrl });
    await migrateDatabase(database);
    if (await isSeeded(database.db)) {
      console.log("  reusing the seeded bench database");
      return database;
    }
    await database.close();
  } else await admin.end();
  const again = new pg.Client({ connectionString: serverUrl });
  await again.connect();
  await again.query(`drop database if exists ${name} with (force)`);
  await again.query(`create database ${name}`);
  await again.end();
  const database = await openDatabase({ url: benchUrl });
  await migrateDatabase(database);
  const t0 = Date.now();
  await seed(database.db, "bench", (m) => console.log(`  seed: ${m}`));
  console.log(`  seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return database;
}

async function actor(db: Awaited<ReturnType<typeof openDatabase>>["db"], username: string): Promise<Actor> {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  const roles = await db.select({ role: roleAssignments.role }).from(roleAssignments).where(eq(roleAssignments.userId, u!.id));
  return { id: u!.id, username, displayName: u!.displayName, departmentId: u!.departmentId, roles: roles.map((r) => r.role) };
}

/**
 * Requests waiting for ops, one per fresh system, spread over the departments: those already
 * waiting (a reused database), and as many more as it takes to have `n`.
 */
async function pendingForOps(db: Awaited<ReturnType<typeof openDatabase>>["db"], n: number): Promise<string[]> {
  const waiting = await db.select({ id: resourceRequests.id }).from(resourceRequests).where(eq(resourceRequests.state, "dept_approved"));
  const ids: string[] = waiting.map((r) => r.id).slice(0, n);
  const [{ made } = { made: 0 }] = await db
    .select({ made: sql<number>`count(*)::int` })
    .from(informationSystems)
    .where(like(informationSystems.name, "压测系统 %"));
  const codes = ["fgw", "sthjj", "sw", "gaj", "rsj", "wjw", "jyj", "zjj"];
  for (let i = made; ids.length < n; i++) {
    const code = codes[i % codes.length]!;
    const ctx = (a: Actor, role: ServiceContext["role"]): ServiceContext => ({ db, actor: a, role, correlationId: randomUUID(), now: () => new Date() });
    const applicant = await actor(db, `${code}.staff`);
    const admin = await actor(db, `${code}.admin`);
    const sys = await registerSystem(ctx(applicant, "applicant"), { name: `压测系统 ${i}`, purpose: "性能测试", level: 2, zone: "internal" });
    // Graded, so ops approval takes the request on to provisioning as for any graded system.
    await gradeSystem(ctx(await actor(db, "sec1"), "security"), sys.id, { level: 2, filingNumber: `32100099${String(i).padStart(6, "0")}` });
    const req = await createRequest(ctx(applicant, "applicant"), {
      systemId: sys.id,
      kind: "new",
      resources: { vcpu: 1, memory_gib: 1 },
      segmentPrefix: null,
      egress: [],
      expiresAt: null,
      justification: "性能测试",
      submit: true,
    });
    await approveRequest(ctx(admin, "dept_admin"), req.id, null);
    ids.push(req.id);
  }
  return ids;
}

async function startPortal(port: number): Promise<ChildProcess> {
  // BENCH_NODE_ARGS: extra node flags for the portal process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "src/server/main.ts"], {
    ...(args["portal-dir"] ? { cwd: args["portal-dir"] } : {}),
    env: {
      ...process.env,
      DATABASE_URL: benchUrl,
      PORT: String(port),
      ZHENGYUN_SEED: "none",
      // Names the portal's PostgreSQL sessions, so the bench can find their backends' CPU.
      PGAPPNAME: PORTAL_APP_NAME,
      // Known to the bench, so it can enrol the ops account's authenticator as the server seals it.
      ZHENGYUN_SECRET_KEY: BENCH_SECRET_KEY,
      LOG_LEVEL: "warn",
      METRICS_PORT: "off",
      // The API is measured; the UI bundle is not built for it.
      ZHENGYUN_UI_BUILD: "off",
      // One client from one address drives the load: the abuse limits would measure themselves.
      RATE_LIMIT_MUTATION_PER_IP: "1000000",
      RATE_LIMIT_MUTATION_PER_ACCOUNT: "1000000",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  // Up to two minutes: on a busy machine compiling the sources on start takes a while.
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error("portal did not become ready");
}

/** The cookies a response sets, as a Cookie header (a cleared one, set to nothing, left out). */
function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => !c.endsWith("="))
    .join("; ");
}

const PORTAL_APP_NAME = "zhengyun-bench-portal";

/** CPU time (user + system, ms) a process has spent, from /proc; /proc counts in USER_HZ (100/s on Linux). */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  at: number;
  portal: number;
  backends: Map<number, number>;
  self: number;
}

/**
 * The CPU spent by the portal process, by its PostgreSQL backends (sessions named PORTAL_APP_NAME,
 * when the server runs on this machine) and by this process (the load generator when it is
 * autocannon), between two snapshots. The pool opens and closes backends as it goes, so they are
 * sampled every 200 ms and a closed one counts with its last reading (it had been idle).
 */
function cpuMeter(portalPid: number, admin: pg.Client) {
  const backends = new Map<number, number>();
  let sampling: Promise<void> = Promise.resolve();
  const sample = () => {
    sampling = sampling.then(async () => {
      const { rows } = await admin.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1", [PORTAL_APP_NAME]);
      for (const { pid } of rows) {
        const ms = processCpuMs(pid);
        if (ms !== null) backends.set(pid, ms);
      }
    });
    return sampling;
  };
  const timer = setInterval(() => void sample().catch(() => {}), 200);
  const snapshot = async (): Promise<CpuSnapshot> => {
    await sample();
    const self = process.cpuUsage();
    return { at: performance.now(), portal: processCpuMs(portalPid) ?? Number.NaN, backends: new Map(backends), self: (self.user + self.system) / 1000 };
  };
  const delta = (a: CpuSnapshot, b: CpuSnapshot) => {
    let backendsMs = 0;
    for (const [pid, ms] of b.backends) backendsMs += ms - (a.backends.get(pid) ?? 0);
    return { wallMs: b.at - a.at, portalMs: b.portal - a.portal, backendsMs, selfMs: b.self - a.self };
  };
  return { snapshot, delta, stop: () => clearInterval(timer) };
}
type CpuMeter = ReturnType<typeof cpuMeter>;

const BENCH_SECRET_KEY = "zhengyun-bench-secret-key-0123456789abcdef";

/** Signs in; a platform role (two factors) is enrolled with an authenticator first and answers its code. */
async function login(base: string, username: string, db?: Database): Promise<string> {
  const res = await fetch(`${base}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const session = cookiesOf(res);
  if (!res.ok || !session) throw new Error(`login ${username} failed: ${res.status}`);
  if (!db) return session;
  const [user] = await db.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  const secret = await enrolTotp(db, user!.id, { ...DEFAULT_AUTH_POLICY, secretKey: deriveSecretKey(BENCH_SECRET_KEY) });
  // The password step again, now that the account has an authenticator: it asks for the code.
  const again = await fetch(`${base}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const pending = cookiesOf(again);
  if (!again.ok || !pending) throw new Error(`login ${username} failed: ${again.status}`);
  const second = await fetch(`${base}/trpc/auth.secondFactor`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: pending },
    body: JSON.stringify({ code: await totpCode(db, user!.id, secret) }),
  });
  if (!second.ok) throw new Error(`second factor of ${username} failed: ${second.status} ${await second.text()}`);
  return cookiesOf(second) || pending;
}

interface Scenario {
  name: string;
  opts: autocannon.Options;
}

/** The machine's 1-, 5- and 15-minute load averages: the portal, PostgreSQL and the load generator share it. */
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

const pct = (ms: number, wallMs: number) => `${((100 * ms) / wallMs).toFixed(0).padStart(3)}%`;

function report(name: string, mode: string, { r, cpu }: { r: autocannon.Result; cpu: ReturnType<CpuMeter["delta"]> }) {
  const errors = r.errors + r.non2xx;
  const { wallMs } = cpu;
  console.log(
    `${name.padEnd(26)} ${mode.padEnd(10)} p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   ${r.requests.average.toFixed(0).padStart(5)} req/s   ${r.requests.total} requests   cpu portal ${pct(cpu.portalMs, wallMs)} postgres ${pct(cpu.backendsMs, wallMs)} generator ${pct(cpu.selfMs, wallMs)}   load ${load()}${errors ? `   ${errors} errors/non-2xx` : ""}`,
  );
}

let meter: CpuMeter;
const run = async (opts: autocannon.Options) => {
  if (process.env.BENCH_MARK) console.log(`mark ${Date.now()}`);
  const before = await meter.snapshot();
  const r = (await autocannon(opts)) as unknown as autocannon.Result;
  return { r, cpu: meter.delta(before, await meter.snapshot()) };
};
/** --only / BENCH_ONLY: a pattern naming the scenarios to run (all when unset). */
const onlyPattern = args.only ?? process.env.BENCH_ONLY;
const only = onlyPattern ? new RegExp(onlyPattern) : null;

/**
 * CPU per request, whatever else the machine is doing: `n` requests one after another on one
 * kept-alive connection (after a warm-up of JIT, pool and plans), and the CPU time the portal and
 * its PostgreSQL backends spent on them.
 */
async function cpuPerRequest(s: Scenario, n: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<number>((resolve, reject) => {
      http
        .get(s.opts.url, { agent, headers: s.opts.headers }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        })
        .on("error", reject);
    });
  for (let i = 0; i < Math.min(300, n); i++) await once();
  const before = await meter.snapshot();
  let failed = 0;
  for (let i = 0; i < n; i++) if ((await once()) >= 300) failed++;
  const cpu = meter.delta(before, await meter.snapshot());
  agent.destroy();
  const per = (ms: number) => `${(ms / n).toFixed(2).padStart(6)} ms`;
  console.log(
    `${s.name.padEnd(26)} portal ${per(cpu.portalMs)}   postgres ${per(cpu.backendsMs)}   together ${per(cpu.portalMs + cpu.backendsMs)}   (${n} requests, ${(cpu.wallMs / n).toFixed(2)} ms each wall, load ${load()})${failed ? `   ${failed} non-2xx` : ""}`,
  );
}

async function main() {
  console.log(`bench:api — preparing ${benchUrl}`);
  const database = await prepareDatabase();
  const approvals = await pendingForOps(database.db, APPROVALS);
  const [someRequest] = await database.db
    .select({ id: resourceRequests.id })
    .from(resourceRequests)
    .innerJoin(users, eq(users.id, resourceRequests.requesterId))
    .where(and(eq(users.username, "fgw.staff"), eq(resourceRequests.state, "active")))
    .limit(1);
  const port = await freePort();
  const portal = await startPortal(port);
  const base = `http://127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: benchUrl });
  await admin.connect();
  meter = cpuMeter(portal.pid!, admin);
  try {
    const applicant = await login(base, "fgw.staff");
    const ops = await login(base, "ops1", database);
    const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));
    // Every scenario must answer 2xx before it is measured: a refused call measures nothing.
    const probe = await fetch(`${base}/trpc/requests.list?input=${enc({ mine: true, limit: 50 })}`, { headers: { cookie: applicant } });
    if (!probe.ok) throw new Error(`list my requests: ${probe.status} ${await probe.text()}`);
    // Where the third page of the ops queue starts: below the last number of the second.
    const queueRes = await fetch(`${base}/api/v1/approvals?stage=ops&limit=100`, { headers: { cookie: ops } });
    const queueBody = (await queueRes.json()) as { number: number }[] | { items: { number: number }[] };
    if (!queueRes.ok) throw new Error(`ops queue: ${queueRes.status} ${JSON.stringify(queueBody)}`);
    const firstPages = Array.isArray(queueBody) ? queueBody : queueBody.items;
    const thirdPage = firstPages.at(-1)!.number;
    const tokenRes = await fetch(`${base}/api/v1/tokens`, {
      method: "POST",
      headers: { cookie: ops, "content-type": "application/json" },
      body: JSON.stringify({ name: "bench", roles: ["ops"], expiresInDays: 1 }),
    });
    const opsToken = ((await tokenRes.json()) as { secret: string }).secret;
    const reads: Scenario[] = [
      { name: "list my requests", opts: { url: `${base}/trpc/requests.list?input=${enc({ mine: true, limit: 50 })}`, headers: { cookie: applicant } } },
      { name: "get one request", opts: { url: `${base}/trpc/requests.get?input=${enc({ id: someRequest!.id })}`, headers: { cookie: applicant } } },
      // The first page the web UI asks for (and the CLI's and the procedure's default page); the
      // queue is never read whole.
      { name: "ops queue, UI page of 100", opts: { url: `${base}/trpc/requests.queue?input=${enc({ stage: "ops", limit: 100 })}`, headers: { cookie: ops } } },
      { name: "ops queue, page of 50", opts: { url: `${base}/trpc/requests.queue?input=${enc({ stage: "ops", limit: 50 })}`, headers: { cookie: ops } } },
      {
        name: "ops queue, 3rd page",
        opts: { url: `${base}/trpc/requests.queue?input=${enc({ stage: "ops", limit: 50, beforeNumber: thirdPage })}`, headers: { cookie: ops } },
      },
      { name: "REST ops queue (token)", opts: { url: `${base}/api/v1/approvals?stage=ops&limit=50`, headers: { authorization: `Bearer ${opsToken}` } } },
      { name: "REST allocations (token)", opts: { url: `${base}/api/v1/allocations?limit=50`, headers: { authorization: `Bearer ${opsToken}` } } },
    ];
    if (CPU_REQUESTS !== null) {
      console.log(`\nCPU time per request (portal process; its PostgreSQL backends); load average (1, 5, 15 min) before: ${load()}`);
      for (const s of reads.filter((r) => !only || only.test(r.name))) await cpuPerRequest(s, CPU_REQUESTS);
      return;
    }
    console.log(`\nportal on PostgreSQL, ${DURATION} s per run, 10 connections; load average (1, 5, 15 min) before: ${load()}`);
    for (const s of reads.filter((r) => !only || only.test(r.name))) {
      report(s.name, "200 rps", await run({ ...s.opts, connections: 10, duration: DURATION, overallRate: 200 }));
      report(s.name, "max", await run({ ...s.opts, connections: 10, duration: DURATION }));
    }
    // Approvals: each request approved once, so the run is bounded by the prepared queue.
    let next = 0;
    const approve = (rate?: number, amount?: number) =>
      run({
        url: `${base}/trpc/requests.approve`,
        method: "POST",
        connections: 10,
        amount: amount ?? approvals.length,
        ...(rate ? { overallRate: rate } : {}),
        headers: { cookie: ops, "content-type": "application/json" },
        requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ id: approvals[next++ % approvals.length] }) }) }],
      });
    const half = Math.floor(approvals.length / 2);
    if (!only || only.test("approve")) {
      report("approve", "200 rps", await approve(200, half));
      report("approve", "max", await approve(undefined, approvals.length - half));
    }
    console.log(`load average (1, 5, 15 min) after: ${load()}`);
  } finally {
    meter.stop();
    await admin.end();
    portal.kill("SIGTERM");
    await database.close();
  }
}

await main();
