/** Real-database fixtures for portal tests: each test creates its own rows. */
import { randomUUID } from "node:crypto";
import type { Database } from "@zhengyun/db/client";
import type { Actor } from "@zhengyun/db/context";
import type { Quantities } from "@zhengyun/db/quantities";
import { departmentCeilings, departments, roleAssignments, users } from "@zhengyun/db/schema";
import type { Role, Zone } from "@zhengyun/db/schema/enums";
import { RESOURCES } from "@zhengyun/db/schema/enums";
import { DEFAULT_AUTH_POLICY } from "../src/auth/policy.js";
import { appRouter } from "../src/server/router.js";
import { type CookieJar, createCallerFactory, type RequestContext } from "../src/server/trpc.js";

export { type IsolatedDatabase, isolatedDatabase, testDatabase } from "@zhengyun/db/testkit";

export function memoryCookies(): CookieJar & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, get: (n) => values.get(n), set: (n, v) => void values.set(n, v), clear: (n) => void values.delete(n) };
}

const createCaller = createCallerFactory(appRouter);

/**
 * A tRPC caller acting as `actor` (or anonymous), exactly as a request through the server would;
 * `maxLevel` stands for a platform configured with a lower ZHENGYUN_MAX_LEVEL.
 */
export function callerFor(db: Database, actor: Actor | null, opts: { maxLevel?: number } = {}) {
  const ctx: RequestContext = {
    db: db.db,
    actor,
    correlationId: randomUUID(),
    policy: DEFAULT_AUTH_POLICY,
    cookies: memoryCookies(),
    now: () => new Date(),
    ...opts,
  };
  return createCaller(ctx);
}

/**
 * Rate limits for tests whose subject is not the limits: a test signs many people in from one
 * address within a minute, which the product's limits rightly refuse.
 */
export const TEST_RATE_LIMITS = { loginPerIp: 1000, loginPerAccount: 1000, mutationPerIp: 1000, mutationPerAccount: 1000, windowMs: 60_000 };

/** A filing number (备案号) of the form the grading records. */
export const filingNumber = () => `32100043${String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0")}`;

export const unique = (prefix: string) => `${prefix}${randomUUID().replace(/-/g, "").slice(0, 10)}`;

export async function makeDepartment(
  db: Database,
  ceiling: Quantities = {
    vcpu: 1000,
    memory_gib: 4000,
    storage_standard_gib: 100000,
    storage_ssd_gib: 100000,
    storage_encrypted_gib: 100000,
    segments: 100,
    egress_mbps: 10000,
  },
) {
  const code = unique("t");
  const [dept] = await db.db
    .insert(departments)
    .values({ code, name: `测试单位 ${code}`, nameEn: `Test unit ${code}` })
    .returning({ id: departments.id });
  await db.db.insert(departmentCeilings).values(RESOURCES.map((resource) => ({ departmentId: dept!.id, resource, amount: ceiling[resource] ?? 0 })));
  return { id: dept!.id, code };
}

export async function makeUser(db: Database, departmentId: string, roles: Role[], passwordHash: string | null = null): Promise<Actor> {
  const username = unique("u");
  const [user] = await db.db.insert(users).values({ username, displayName: username, departmentId, passwordHash }).returning({ id: users.id });
  if (roles.length) await db.db.insert(roleAssignments).values(roles.map((role) => ({ userId: user!.id, role })));
  return { id: user!.id, username, displayName: username, departmentId, roles };
}

/**
 * A department with one person per role. `newSystem` registers a system as its applicant proposes
 * it and has the security officer grade it at that level and zone (pass `graded: false` to leave
 * it waiting for grading, as a freshly registered system does).
 */
export async function makeOrg(db: Database, opts: { level?: number; zone?: Zone; ceiling?: Quantities } = {}) {
  const dept = await makeDepartment(db, opts.ceiling);
  const people = {
    applicant: await makeUser(db, dept.id, ["applicant"]),
    deptAdmin: await makeUser(db, dept.id, ["dept_admin"]),
    ops: await makeUser(db, dept.id, ["ops"]),
    ops2: await makeUser(db, dept.id, ["ops"]),
    security: await makeUser(db, dept.id, ["security"]),
    auditor: await makeUser(db, dept.id, ["auditor"]),
    sysadmin: await makeUser(db, dept.id, ["sysadmin"]),
  };
  const as = (who: keyof typeof people) => callerFor(db, people[who]);
  return withSystems(dept, people, as, "测试用信息系统", opts);
}

type People = Record<"applicant" | "deptAdmin" | "ops" | "ops2" | "security" | "auditor" | "sysadmin", Actor>;

/** The organisation's system helpers: register (as the applicant) and grade (as the security officer). */
export function withSystems(
  dept: { id: string; code: string },
  people: People,
  as: (who: keyof People) => ReturnType<typeof callerFor>,
  purpose: string,
  defaults: { level?: number; zone?: Zone } = {},
) {
  const grade = (id: string, level: number) => as("security").systems.grade({ id, level, ...(level >= 2 ? { filingNumber: filingNumber() } : {}) });
  const newSystem = async (level = defaults.level ?? 2, zone: Zone = defaults.zone ?? "external", { graded = true }: { graded?: boolean } = {}) => {
    const system = await as("applicant").systems.register({ name: unique("系统"), purpose, level, zone });
    if (graded) await grade(system.id, level);
    return system;
  };
  return { dept, people, as, newSystem, grade };
}

export type Org = Awaited<ReturnType<typeof makeOrg>>;

/** Files a new request for a fresh system and takes it to `until` through the real workflow. */
export async function requestIn(
  org: Org,
  until: "draft" | "submitted" | "dept_approved" | "ops_approved" | "provisioning",
  opts: { level?: number; vcpu?: number; segmentPrefix?: number | null; zone?: Zone } = {},
) {
  const level = opts.level ?? (until === "ops_approved" ? 3 : 2);
  const system = await org.newSystem(level, opts.zone);
  const req = await org.as("applicant").requests.create({
    systemId: system.id,
    kind: "new",
    resources: { vcpu: opts.vcpu ?? 2, memory_gib: 4, ...(level >= 3 ? { storage_encrypted_gib: 10 } : { storage_standard_gib: 10 }) },
    segmentPrefix: opts.segmentPrefix === undefined ? null : opts.segmentPrefix,
    justification: "测试所需资源",
    submit: until !== "draft",
  });
  if (until === "draft" || until === "submitted") return { system, request: req };
  await org.as("deptAdmin").requests.approve({ id: req.id });
  if (until === "dept_approved") return { system, request: req };
  await org.as("ops").requests.approve({ id: req.id });
  if (until === "ops_approved") return { system, request: req };
  if (level >= 3) await org.as("security").requests.approve({ id: req.id });
  return { system, request: req };
}
