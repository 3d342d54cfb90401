import { randomUUID } from "node:crypto";
import type { Db } from "@zhengyun/db/client";
import type { Actor, ServiceContext } from "@zhengyun/db/context";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { clusterCapacity, departmentCeilings, departments, roleAssignments, users, zonePools } from "@zhengyun/db/schema";
import type { Role, Zone } from "@zhengyun/db/schema/enums";
import { RESOURCES } from "@zhengyun/db/schema/enums";
import { sql } from "drizzle-orm";
import { hashPassword } from "../../auth/passwords.js";
import { rateRequest } from "../../services/ratings-service.js";
import { approveRequest, rejectRequest } from "../../services/requests/approvals.js";
import { createRequest, withdrawRequest } from "../../services/requests/drafts.js";
import { gradeSystem, registerSystem } from "../../services/systems-service.js";
import { CLUSTER_CAPACITY, DEFAULT_CEILING, DEMO_DEPARTMENTS, DEMO_PASSWORD, SYSTEM_NAMES, ZONE_POOLS } from "./data.js";
import { seedProvince } from "./province-seed.js";
import { seedUsageHistory } from "./usage.js";

export type SeedSize = "demo" | "bench" | "province";

interface SeedUser extends Actor {}

/** True when the database already holds departments (seeding is for empty databases only). */
export async function isSeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(departments);
  return (row?.n ?? 0) > 0;
}

function contextFor(db: Db, actor: SeedUser, role: Role): ServiceContext {
  return { db, actor, role, correlationId: `seed-${randomUUID()}`, now: () => new Date() };
}

async function addUser(db: Db, passwordHash: string, u: { username: string; displayName: string; departmentId: string; roles: Role[] }): Promise<SeedUser> {
  const [row] = await db
    .insert(users)
    .values({ username: u.username, displayName: u.displayName, departmentId: u.departmentId, passwordHash })
    .returning({ id: users.id });
  await db.insert(roleAssignments).values(u.roles.map((role) => ({ userId: row!.id, role })));
  return { id: row!.id, username: u.username, displayName: u.displayName, departmentId: u.departmentId, roles: u.roles };
}

function benchDepartments(n: number) {
  const out: { code: string; name: string; nameEn: string }[] = [...DEMO_DEPARTMENTS];
  for (let i = out.length; i < n; i++)
    out.push({ code: `u${String(i + 1).padStart(3, "0")}`, name: `扬州市第${i + 1}使用单位`, nameEn: `Using unit ${i + 1}` });
  return out.slice(0, n);
}

/**
 * Loads the demo (12 departments, users of every role, systems at every level in both zones,
 * requests in every state), the benchmark size (64 departments, 534 systems) or the province
 * (640 departments, 5,000 systems, see province-seed.ts). Everything after
 * the platform rows goes through the services, so the audit trail is complete and valid.
 */
export async function seed(db: Db, size: SeedSize = "demo", log: (msg: string) => void = () => {}): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  if (size === "province") {
    const { systems, requests } = await seedProvince(db, passwordHash, log);
    log(`${systems} systems, ${requests} requests`);
    return;
  }
  const deptList = size === "demo" ? [...DEMO_DEPARTMENTS] : benchDepartments(64);
  const systemsTotal = size === "demo" ? 24 : 534;

  await db.insert(zonePools).values(Object.entries(ZONE_POOLS).map(([zone, cidr]) => ({ zone: zone as Zone, cidr })));
  await db.insert(clusterCapacity).values(RESOURCES.map((resource) => ({ resource, amount: (CLUSTER_CAPACITY[resource] ?? 0) * (size === "bench" ? 4 : 1) })));
  const depts = await db.insert(departments).values(deptList).returning({ id: departments.id, code: departments.code });
  await db
    .insert(departmentCeilings)
    .values(depts.flatMap((d) => RESOURCES.map((resource) => ({ departmentId: d.id, resource, amount: DEFAULT_CEILING[resource] ?? 0 }))));
  log(`${depts.length} departments`);

  const platformDept = depts[0]!.id;
  const ops = [
    await addUser(db, passwordHash, { username: "ops1", displayName: "运维 王工", departmentId: platformDept, roles: ["ops"] }),
    await addUser(db, passwordHash, { username: "ops2", displayName: "运维 李工", departmentId: platformDept, roles: ["ops"] }),
  ];
  const sec = [
    await addUser(db, passwordHash, { username: "sec1", displayName: "安全管理员 赵工", departmentId: platformDept, roles: ["security"] }),
    await addUser(db, passwordHash, { username: "sec2", displayName: "安全管理员 钱工", departmentId: platformDept, roles: ["security"] }),
  ];
  await addUser(db, passwordHash, { username: "auditor1", displayName: "审计管理员 孙工", departmentId: platformDept, roles: ["auditor"] });
  await addUser(db, passwordHash, { username: "admin", displayName: "系统管理员 周工", departmentId: platformDept, roles: ["sysadmin"] });

  const staff = new Map<string, { applicant: SeedUser; deptAdmin: SeedUser }>();
  for (const d of depts) {
    staff.set(d.id, {
      applicant: await addUser(db, passwordHash, {
        username: `${d.code}.staff`,
        displayName: `${d.code.toUpperCase()} 经办人`,
        departmentId: d.id,
        roles: ["applicant"],
      }),
      deptAdmin: await addUser(db, passwordHash, {
        username: `${d.code}.admin`,
        displayName: `${d.code.toUpperCase()} 部门管理员`,
        departmentId: d.id,
        roles: ["dept_admin"],
      }),
    });
  }
  log(`${staff.size * 2 + 6} users`);

  // The journey each system's request is taken through, cycling so every state appears.
  const journeys = [
    "active",
    "active",
    "provisioning",
    "ops_approved",
    "dept_approved",
    "submitted",
    "draft",
    "rejected",
    "withdrawn",
    "failed",
    "active",
  ] as const;
  for (let i = 0; i < systemsTotal; i++) {
    const dept = depts[i % depts.length]!;
    const { applicant, deptAdmin } = staff.get(dept.id)!;
    const level = (i % 4) + 1;
    const zone: Zone = Math.floor(i / 4) % 2 === 0 ? "external" : "internal";
    const [name, purpose] = SYSTEM_NAMES[Math.floor(i / depts.length) % SYSTEM_NAMES.length]!;
    const suffix = i >= depts.length * SYSTEM_NAMES.length ? ` ${Math.floor(i / (depts.length * SYSTEM_NAMES.length)) + 1}` : "";
    const asApplicant = contextFor(db, applicant, "applicant");
    const system = await registerSystem(asApplicant, { name: `${name}${suffix}`, purpose, level, zone });
    await gradeSystem(contextFor(db, sec[0]!, "security"), system.id, { level, filingNumber: `32100013${String(i).padStart(3, "0")}-${level}000${level}` });

    const target = journeys[i % journeys.length]!;
    const encrypted = level >= 3;
    const req = await createRequest(asApplicant, {
      systemId: system.id,
      kind: "new",
      resources: {
        vcpu: 4 + (i % 4) * 4,
        memory_gib: 8 + (i % 4) * 8,
        ...(encrypted ? { storage_encrypted_gib: 200 } : { storage_standard_gib: 200, storage_ssd_gib: 50 }),
        ...(zone === "external" && level < 4 ? { egress_mbps: 20 } : {}),
      },
      segmentPrefix: 26,
      egress: zone === "external" && level < 4 ? [{ host: "api.jszwfw.gov.cn", port: 443 }] : [],
      expiresAt: null,
      justification: `${name}上云部署所需计算、存储与网络资源`,
      submit: target !== "draft",
    });
    if (target === "draft" || target === "submitted") continue;
    if (target === "withdrawn") {
      await withdrawRequest(asApplicant, req.id, "需求调整, 暂缓上云");
      continue;
    }
    if (target === "rejected") {
      await rejectRequest(contextFor(db, deptAdmin, "dept_admin"), req.id, "资源规格偏大, 请按实际业务量重新测算");
      continue;
    }
    await approveRequest(contextFor(db, deptAdmin, "dept_admin"), req.id, null);
    if (target === "dept_approved") continue;
    const afterOps = await approveRequest(contextFor(db, ops[i % 2]!, "ops"), req.id, null);
    if (target === "ops_approved" && afterOps.state === "ops_approved") continue;
    if (afterOps.state === "ops_approved") await approveRequest(contextFor(db, sec[1]!, "security"), req.id, null);
    if (target === "provisioning" || target === "ops_approved") continue;
    await completeProvisioning(db, req.id, target === "failed" ? { ok: false, reason: "seed: simulated quota apply failure" } : { ok: true });
    if (i % 3 === 0)
      await rateRequest(asApplicant, req.id, {
        score: target === "failed" ? 1 : 3 + (i % 3),
        comment: target === "failed" ? "开通失败, 等待太久" : "开通及时",
      });
    if (size === "bench" && (i + 1) % 50 === 0) log(`${i + 1}/${systemsTotal} systems`);
  }
  log(`${systemsTotal} systems`);

  if (size === "demo") {
    // Two systems the security officer has yet to grade (待定级): one just registered, one whose
    // request ops approved and which waits for the grading before anything is provisioned.
    const waiting = [
      { dept: depts[1]!, name: "智慧停车诱导系统", purpose: "全市公共停车泊位实时发布与诱导", level: 2, zone: "external" as Zone, file: true },
      { dept: depts[2]!, name: "不动产登记信息共享平台", purpose: "不动产登记信息在部门间的共享查询", level: 3, zone: "internal" as Zone, file: false },
    ];
    for (const w of waiting) {
      const { applicant, deptAdmin } = staff.get(w.dept.id)!;
      const asApplicant = contextFor(db, applicant, "applicant");
      const system = await registerSystem(asApplicant, { name: w.name, purpose: w.purpose, level: w.level, zone: w.zone });
      if (!w.file) continue;
      const req = await createRequest(asApplicant, {
        systemId: system.id,
        kind: "new",
        resources: { vcpu: 4, memory_gib: 8, storage_standard_gib: 100 },
        segmentPrefix: 27,
        egress: [],
        expiresAt: null,
        justification: `${w.name}上云部署所需资源`,
        submit: true,
      });
      await approveRequest(contextFor(db, deptAdmin, "dept_admin"), req.id, null);
      await approveRequest(contextFor(db, ops[0]!, "ops"), req.id, null);
    }
    log(`${waiting.length} systems awaiting grading`);
    log(`${await seedUsageHistory(db)} usage history points`);
  }
}
