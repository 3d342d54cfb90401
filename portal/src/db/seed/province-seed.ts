// The province seed: 640 departments, 5,000 systems and a year and a half of requests, every step
// through the services (registration, grading, requests, approvals, ratings) so the audit chain is
// the one the platform would have written. Steps of a batch of systems share one transaction (the
// services' own transactions become savepoints): the chain is appended in one order under its lock
// either way, and a batch commits or rolls back whole.

import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@zhengyun/db/client";
import type { Actor, ServiceContext } from "@zhengyun/db/context";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { clusterCapacity, departmentCeilings, departments, roleAssignments, users, zonePools } from "@zhengyun/db/schema";
import type { Role, Zone } from "@zhengyun/db/schema/enums";
import { RESOURCES } from "@zhengyun/db/schema/enums";
import { rateRequest } from "../../services/ratings-service.js";
import { approveRequest, rejectRequest } from "../../services/requests/approvals.js";
import { createRequest, withdrawRequest } from "../../services/requests/drafts.js";
import { gradeSystem, registerSystem } from "../../services/systems-service.js";
import { CLUSTER_CAPACITY, DEFAULT_CEILING, SYSTEM_NAMES, ZONE_POOLS } from "./data.js";
import { IN_FLIGHT, IN_FLIGHT_SHARE, type InFlight, PROVINCE_SYSTEM_COUNT, provinceDepartments, provinceLevel, SETTLED, type Settled } from "./province.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Systems whose steps share one transaction. */
const BATCH = 50;

interface Staff {
  applicant: Actor;
  deptAdmin: Actor;
}

interface Filed {
  systemId: string;
  departmentId: string;
  index: number;
  level: number;
  zone: Zone;
}

/** A clock that only moves forward, from `from` to `to` over `steps` systems. */
function clock(from: number, to: number, steps: number) {
  let t = from;
  const stride = (to - from) / Math.max(1, steps);
  return {
    /** The moment of the next step of the current system (minutes to hours later). */
    tick(minutes: number): Date {
      t += minutes * 60_000;
      return new Date(t);
    },
    /** Moves on to the next system. */
    next(i: number): void {
      t = Math.max(t, from + i * stride);
    },
  };
}

function resourcesFor(i: number, level: number, zone: Zone, scale = 1) {
  const encrypted = level >= 3;
  const egress = zone === "external" && level < 4;
  return {
    vcpu: (4 + (i % 4) * 4) * scale,
    memory_gib: (8 + (i % 4) * 8) * scale,
    ...(encrypted ? { storage_encrypted_gib: 200 * scale } : { storage_standard_gib: 200 * scale, storage_ssd_gib: 50 * scale }),
    ...(egress ? { egress_mbps: 20 * scale } : {}),
  };
}

/**
 * Seeds the province into an empty database. `users` get the one demo password hash. Returns the
 * number of systems and requests made.
 */
export async function seedProvince(db: Db, passwordHash: string, log: (msg: string) => void, now = Date.now()): Promise<{ systems: number; requests: number }> {
  const deptList = provinceDepartments();
  await db.insert(zonePools).values(Object.entries(ZONE_POOLS).map(([zone, cidr]) => ({ zone: zone as Zone, cidr })));
  await db.insert(clusterCapacity).values(RESOURCES.map((resource) => ({ resource, amount: (CLUSTER_CAPACITY[resource] ?? 0) * 20 })));
  const depts = await db.insert(departments).values(deptList).returning({ id: departments.id, code: departments.code });
  await db
    .insert(departmentCeilings)
    .values(depts.flatMap((d) => RESOURCES.map((resource) => ({ departmentId: d.id, resource, amount: DEFAULT_CEILING[resource] ?? 0 }))));
  log(`${depts.length} departments`);

  // Accounts are platform rows (as in the demo seed), inserted in bulk.
  const platformDept = depts[0]!.id;
  const accounts: { username: string; displayName: string; departmentId: string; role: Role }[] = [
    { username: "ops1", displayName: "运维 王工", departmentId: platformDept, role: "ops" },
    { username: "ops2", displayName: "运维 李工", departmentId: platformDept, role: "ops" },
    { username: "sec1", displayName: "安全管理员 赵工", departmentId: platformDept, role: "security" },
    { username: "sec2", displayName: "安全管理员 钱工", departmentId: platformDept, role: "security" },
    { username: "auditor1", displayName: "审计管理员 孙工", departmentId: platformDept, role: "auditor" },
    { username: "admin", displayName: "系统管理员 周工", departmentId: platformDept, role: "sysadmin" },
  ];
  for (const d of depts) {
    accounts.push({ username: `${d.code}.staff`, displayName: `${d.code.toUpperCase()} 经办人`, departmentId: d.id, role: "applicant" });
    accounts.push({ username: `${d.code}.admin`, displayName: `${d.code.toUpperCase()} 部门管理员`, departmentId: d.id, role: "dept_admin" });
  }
  const actors = new Map<string, Actor>();
  for (let i = 0; i < accounts.length; i += 500) {
    const slice = accounts.slice(i, i + 500);
    const rows = await db
      .insert(users)
      .values(slice.map(({ role: _role, ...u }) => ({ ...u, passwordHash })))
      .returning({ id: users.id, username: users.username });
    await db.insert(roleAssignments).values(rows.map((r, k) => ({ userId: r.id, role: slice[k]!.role })));
    rows.forEach((r, k) => {
      const a = slice[k]!;
      actors.set(r.username, { id: r.id, username: r.username, displayName: a.displayName, departmentId: a.departmentId, roles: [a.role] });
    });
  }
  log(`${actors.size} users`);
  const ops = [actors.get("ops1")!, actors.get("ops2")!];
  const sec = [actors.get("sec1")!, actors.get("sec2")!];
  const staff = new Map<string, Staff>(depts.map((d) => [d.id, { applicant: actors.get(`${d.code}.staff`)!, deptAdmin: actors.get(`${d.code}.admin`)! }]));

  let requests = 0;
  let tx: Tx | Db = db;
  let clockNow = () => new Date();
  const as = (actor: Actor, role: Role): ServiceContext => ({ db: tx as Db, actor, role, correlationId: `seed-${randomUUID()}`, now: clockNow });
  const inBatches = async <T>(items: T[], label: string, step: (item: T, k: number) => Promise<void>) => {
    for (let b = 0; b < items.length; b += BATCH) {
      await db.transaction(async (t) => {
        tx = t;
        for (let k = b; k < Math.min(items.length, b + BATCH); k++) await step(items[k]!, k);
      });
      tx = db;
      if ((b / BATCH) % 20 === 19) log(`${label}: ${Math.min(items.length, b + BATCH)}/${items.length}`);
    }
  };

  /** Takes a submitted request through department, ops (and security) approval, then the platform's report. */
  const approveAll = async (requestId: string, d: Staff, i: number, stopAt?: InFlight, at?: () => Date) => {
    await approveRequest(as(d.deptAdmin, "dept_admin"), requestId, null);
    if (stopAt === "dept_approved") return;
    at?.();
    const afterOps = await approveRequest(as(ops[i % 2]!, "ops"), requestId, null);
    if (stopAt === "ops_approved" && afterOps.state === "ops_approved") return;
    if (afterOps.state === "ops_approved") await approveRequest(as(sec[i % 2 === 0 ? 1 : 0]!, "security"), requestId, null);
    if (stopAt) return;
    await completeProvisioning(tx as Db, requestId, { ok: true }, at?.());
  };

  const systems = PROVINCE_SYSTEM_COUNT;
  const settledCount = Math.round(systems * (1 - IN_FLIGHT_SHARE));
  const active: Filed[] = [];

  // 1. Systems filed over the past 540 days whose first request has ended.
  const filed = (i: number, dept: { id: string }) => {
    const level = provinceLevel(i);
    const zone: Zone = Math.floor(i / 3) % 3 === 0 ? "internal" : "external";
    return { index: i, departmentId: dept.id, level, zone };
  };
  const newSystem = async (i: number, ahead: (minutes: number) => Date) => {
    const dept = depts[i % depts.length]!;
    const d = staff.get(dept.id)!;
    const f = filed(i, dept);
    const [name, purpose] = SYSTEM_NAMES[Math.floor(i / depts.length) % SYSTEM_NAMES.length]!;
    const round = Math.floor(i / (depts.length * SYSTEM_NAMES.length));
    ahead(0);
    const system = await registerSystem(as(d.applicant, "applicant"), {
      name: `${name}${round > 0 ? ` ${round + 1}` : ""}`,
      purpose,
      level: f.level,
      zone: f.zone,
    });
    ahead(60 * 24 * (1 + (i % 5)));
    await gradeSystem(as(sec[i % 2]!, "security"), system.id, {
      level: f.level,
      filingNumber: `32${String(i % 13).padStart(2, "0")}0013${String(i).padStart(5, "0")}-${f.level}000${f.level}`,
    });
    return { d, f: { ...f, systemId: system.id } };
  };
  const fileRequest = async (d: Staff, f: Filed, kind: "new" | "change" | "release", submit: boolean, scale = 1) => {
    requests++;
    const egress = kind !== "release" && f.zone === "external" && f.level < 4;
    return createRequest(as(d.applicant, "applicant"), {
      systemId: f.systemId,
      kind,
      resources: kind === "release" ? {} : resourcesFor(f.index, f.level, f.zone, scale),
      segmentPrefix: kind === "new" ? 26 : null,
      egress: egress ? [{ host: "api.jszwfw.gov.cn", port: 443 }] : [],
      expiresAt: null,
      justification: kind === "release" ? "业务整合, 系统下线, 归还资源" : kind === "change" ? "业务量增长, 申请扩容" : "系统上云部署所需计算、存储与网络资源",
      submit,
    });
  };

  {
    const c = clock(now - 540 * DAY, now - 30 * DAY, settledCount);
    clockNow = () => c.tick(0);
    await inBatches(
      Array.from({ length: settledCount }, (_, i) => i),
      "systems",
      async (i) => {
        c.next(i);
        const { d, f } = await newSystem(i, c.tick);
        const outcome: Settled = SETTLED[i % SETTLED.length]!;
        c.tick(60 * (1 + (i % 7)));
        const req = await fileRequest(d, f, "new", true);
        c.tick(60 * (2 + (i % 20)));
        if (outcome === "withdrawn") return void (await withdrawRequest(as(d.applicant, "applicant"), req.id, "需求调整, 暂缓上云"));
        if (outcome === "rejected") return void (await rejectRequest(as(d.deptAdmin, "dept_admin"), req.id, "资源规格偏大, 请按实际业务量重新测算"));
        await approveAll(req.id, d, i, undefined, () => c.tick(30 + (i % 90)));
        if (i % 4 === 0) await rateRequest(as(d.applicant, "applicant"), req.id, { score: 3 + (i % 3), comment: i % 8 === 0 ? "开通及时" : "流程清晰" });
        active.push(f);
      },
    );
    log(`${settledCount} systems with their first request settled`);
  }

  // 2. The past month: running systems grow, a few are retired.
  {
    const later = active.filter((f) => f.index % 6 === 1 || f.index % 25 === 3);
    const c = clock(now - 30 * DAY, now - 3 * DAY, later.length);
    clockNow = () => c.tick(0);
    await inBatches(later, "changes and releases", async (f, k) => {
      c.next(k);
      const d = staff.get(f.departmentId)!;
      const release = f.index % 25 === 3;
      const req = await fileRequest(d, f, release ? "release" : "change", true, 2);
      c.tick(60 * (1 + (k % 30)));
      await approveAll(req.id, d, f.index, undefined, () => c.tick(20 + (k % 60)));
    });
    log(`${later.length} change and release requests settled`);
  }

  // 3. The last three days: new systems at every stage of the workflow, a few changes waiting.
  {
    const fresh = systems - settledCount;
    const waiting = active.filter((f) => f.index % 40 === 5 && f.index % 6 !== 1 && f.index % 25 !== 3);
    const c = clock(now - 3 * DAY, now - HOUR, fresh + waiting.length);
    clockNow = () => c.tick(0);
    await inBatches(
      Array.from({ length: fresh }, (_, k) => settledCount + k),
      "new systems in flight",
      async (i, k) => {
        c.next(k);
        const { d, f } = await newSystem(i, (m) => c.tick(Math.min(m, 30)));
        const stage: InFlight = IN_FLIGHT[k % IN_FLIGHT.length]!;
        const req = await fileRequest(d, f, "new", stage !== "draft");
        if (stage === "draft" || stage === "submitted") return;
        c.tick(20);
        await approveAll(req.id, d, i, stage, () => c.tick(10));
      },
    );
    await inBatches(waiting, "changes waiting", async (f, k) => {
      c.next(fresh + k);
      const d = staff.get(f.departmentId)!;
      const req = await fileRequest(d, f, "change", true, 2);
      if (k % 2 === 0) await approveRequest(as(d.deptAdmin, "dept_admin"), req.id, null);
    });
    log(`${fresh} new systems and ${waiting.length} changes in flight`);
  }
  return { systems, requests };
}
