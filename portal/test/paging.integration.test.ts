/**
 * Keyset paging on real PostgreSQL: every paged list, walked page by page while rows are added
 * between pages, gives every row that was there before exactly once and never a row twice; a
 * cursor the list did not give out is a 400 (BAD_REQUEST), over tRPC and over REST.
 */
import { TRPCError } from "@trpc/server";
import type { Database } from "@zhengyun/db/client";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUTH_POLICY, SESSION_COOKIE } from "../src/auth/policy.js";
import { createSession } from "../src/auth/sessions.js";
import { buildApp } from "../src/server/app.js";
import { makeDepartment, makeOrg, makeUser, type Org, requestIn, testDatabase, unique } from "./harness.js";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface PagedList<T> {
  /** One page of `limit` rows after `cursor`. */
  page(cursor: string | undefined, limit: number): Promise<Page<T>>;
  /** Adds a row the list will show. */
  insert(): Promise<unknown>;
  key(row: T): string;
}

/** Walks the list, adding a row between pages; the keys seen, in order, and the pages taken. */
async function walkWithInserts<T>(list: PagedList<T>, limit: number) {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list.page(cursor, limit);
    pages += 1;
    seen.push(...page.items.map(list.key));
    cursor = page.nextCursor ?? undefined;
    if (cursor) await list.insert();
  } while (cursor);
  return { seen, pages };
}

async function everyKey<T>(list: PagedList<T>) {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await list.page(cursor, 500);
    keys.push(...page.items.map(list.key));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return keys;
}

let db: Database;
let org: Org;

beforeAll(async () => {
  db = await testDatabase();
  org = await makeOrg(db);
});

/** Rows made before the walk must each be seen once; nothing may be seen twice. */
async function expectEveryRowOnce<T>(list: PagedList<T>, before: number) {
  for (let i = 0; i < before; i++) await list.insert();
  const existing = await everyKey(list);
  expect(existing.length).toBeGreaterThanOrEqual(before);
  // About four pages, whatever else the shared database holds, within every list's page limit (100
  // is below all of them): a database that many earlier tests filled takes more pages.
  const { seen, pages } = await walkWithInserts(list, Math.min(Math.ceil(existing.length / 4), 100));
  expect(pages).toBeGreaterThan(2);
  expect(new Set(seen).size).toBe(seen.length);
  for (const key of existing) expect(seen.filter((k) => k === key)).toHaveLength(1);
}

describe("keyset paging under inserts between pages", () => {
  it("systems (by department code, name)", async () => {
    const applicant = org.as("applicant");
    await expectEveryRowOnce(
      {
        page: (cursor, limit) => applicant.systems.list({ limit, cursor }),
        insert: () => org.newSystem(2, "external", { graded: false }),
        key: (s) => s.id,
      },
      8,
    );
  });

  it("systems awaiting grading", async () => {
    const security = org.as("security");
    await expectEveryRowOnce(
      {
        page: async (cursor, limit) => {
          const page = await security.systems.list({ ungraded: true, limit, cursor });
          for (const s of page.items) expect(s.graded).toBe(false);
          return page;
        },
        insert: () => org.newSystem(2, "internal", { graded: false }),
        key: (s) => s.id,
      },
      6,
    );
  });

  it("departments (by code)", async () => {
    const ops = org.as("ops");
    await expectEveryRowOnce({ page: (cursor, limit) => ops.departments.list({ limit, cursor }), insert: () => makeDepartment(db), key: (d) => d.id }, 3);
  });

  it("users (by user name)", async () => {
    const sysadmin = org.as("sysadmin");
    await expectEveryRowOnce(
      { page: (cursor, limit) => sysadmin.users.list({ limit, cursor }), insert: () => makeUser(db, org.dept.id, ["applicant"]), key: (u) => u.id },
      3,
    );
  });

  it("exemptions (newest grant first)", async () => {
    const security = org.as("security");
    const applicant = org.as("applicant");
    await expectEveryRowOnce(
      {
        page: (cursor, limit) => applicant.exemptions.list({ activeOnly: false, limit, cursor }),
        insert: async () =>
          security.exemptions.grant({
            systemId: (await org.newSystem()).id,
            controlId: "registry-allowlist",
            reason: unique("分页测试豁免"),
            expiresAt: new Date(Date.now() + 86_400_000),
          }),
        key: (e) => e.id,
      },
      5,
    );
  });

  it("evidence and allocations (systems on the cluster)", async () => {
    const other = await makeOrg(db);
    const applicant = other.as("applicant");
    const insert = () => requestIn(other, "provisioning");
    await expectEveryRowOnce({ page: (cursor, limit) => applicant.evidence.list({ limit, cursor }), insert, key: (r) => r.systemId }, 4);
    await expectEveryRowOnce({ page: (cursor, limit) => applicant.allocations.list({ limit, cursor }), insert, key: (r) => r.systemId }, 0);
  });

  it("API tokens (newest first)", async () => {
    const deptAdmin = org.as("deptAdmin");
    await expectEveryRowOnce(
      {
        page: (cursor, limit) => deptAdmin.tokens.list({ limit, cursor }),
        insert: () => deptAdmin.tokens.create({ name: unique("分页"), roles: ["dept_admin"] }),
        key: (t) => t.id,
      },
      5,
    );
  });
});

/**
 * A newest-first list paged by `beforeNumber`, as the keyset lists above (the next page starts
 * below the last number); pages of at most 200, the queue's limit.
 */
function byNumber<T extends { id: string; number: number }>(page: (beforeNumber: number | undefined, limit: number) => Promise<T[]>) {
  return async (cursor: string | undefined, asked: number): Promise<Page<T>> => {
    const limit = Math.min(asked, 200);
    const items = await page(cursor ? Number(cursor) : undefined, limit);
    return { items, nextCursor: items.length === limit ? String(items.at(-1)!.number) : null };
  };
}

describe("requests and approval queues, newest first by number", () => {
  it("walks the list and each stage's queue once, within the caller's department", async () => {
    const other = await makeOrg(db);
    const mine = org.as("applicant");
    await expectEveryRowOnce(
      {
        page: byNumber((beforeNumber, limit) => mine.requests.list({ mine: true, beforeNumber, limit })),
        insert: () => requestIn(org, "submitted"),
        key: (r: { id: string }) => r.id,
      },
      5,
    );
    const deptAdmin = org.as("deptAdmin");
    await expectEveryRowOnce(
      {
        page: byNumber((beforeNumber, limit) => deptAdmin.requests.queue({ stage: "dept", beforeNumber, limit })),
        insert: () => requestIn(org, "submitted"),
        key: (r: { id: string }) => r.id,
      },
      0,
    );
    const ops = org.as("ops");
    await expectEveryRowOnce(
      {
        page: byNumber((beforeNumber, limit) => ops.requests.queue({ stage: "ops", beforeNumber, limit })),
        insert: () => requestIn(other, "dept_approved"),
        key: (r: { id: string }) => r.id,
      },
      4,
    );
    await requestIn(other, "submitted");
    // Another department's requests are in no page of the department's own lists.
    const walk = async (page: (cursor: string | undefined, limit: number) => Promise<Page<{ departmentId: string }>>) => {
      const rows: { departmentId: string }[] = [];
      let cursor: string | undefined;
      do {
        const p = await page(cursor, 3);
        rows.push(...p.items);
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      return rows;
    };
    const deptQueue = await walk(byNumber((beforeNumber, limit) => deptAdmin.requests.queue({ stage: "dept", beforeNumber, limit })));
    const deptList = await walk(byNumber((beforeNumber, limit) => deptAdmin.requests.list({ states: ["submitted", "dept_approved"], beforeNumber, limit })));
    expect(deptQueue.length).toBeGreaterThan(0);
    expect(deptList.length).toBeGreaterThanOrEqual(deptQueue.length);
    for (const r of [...deptQueue, ...deptList]) expect(r.departmentId).toBe(org.dept.id);
    const everywhere = await walk(byNumber((beforeNumber, limit) => ops.requests.list({ states: ["submitted"], beforeNumber, limit })));
    const departmentsSeen = new Set(everywhere.map((r) => r.departmentId));
    expect(departmentsSeen.has(org.dept.id) && departmentsSeen.has(other.dept.id)).toBe(true);
  });
});

describe("the ops queue's department headroom", () => {
  it("gives each row its department's ceiling and holdings (grants and reservations), as the department overview does", async () => {
    const a = await makeOrg(db);
    const b = await makeOrg(db);
    const ops = a.as("ops");
    await ops.departments.setCeiling({ id: a.dept.id, ceiling: { vcpu: 64, memory_gib: 256 } });
    await ops.departments.setCeiling({ id: b.dept.id, ceiling: { vcpu: 32 } });
    await requestIn(a, "provisioning", { vcpu: 3 });
    await requestIn(a, "ops_approved", { vcpu: 5 });
    await requestIn(b, "provisioning", { vcpu: 7 });
    const waiting = [(await requestIn(a, "dept_approved")).request.id, (await requestIn(b, "dept_approved")).request.id];
    const rows = (await ops.requests.queue({ stage: "ops", limit: 200 })).filter((r) => waiting.includes(r.id));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const overview = await ops.departments.overview({ id: row.departmentId });
      expect(row.department).toEqual({ ceiling: overview.ceiling, held: overview.held });
    }
    const ofA = rows.find((r) => r.departmentId === a.dept.id)!;
    expect(ofA.department.ceiling).toMatchObject({ vcpu: 64, memory_gib: 256 });
    expect(ofA.department.held.vcpu).toBe(8);
    expect(rows.find((r) => r.departmentId === b.dept.id)!.department.held.vcpu).toBe(7);
  });
});

describe("a cursor the list did not give out", () => {
  const forged = [
    "not-a-cursor",
    Buffer.from(JSON.stringify(["a", "b", "c"])).toString("base64url"),
    Buffer.from(JSON.stringify(["zy", "系统", "'; drop table users; --"])).toString("base64url"),
    Buffer.from(JSON.stringify({ id: 1 })).toString("base64url"),
  ];

  it("is BAD_REQUEST over tRPC, on every paged list", async () => {
    const calls = (cursor: string) => [
      org.as("applicant").systems.list({ cursor }),
      org.as("applicant").departments.list({ cursor }),
      org.as("sysadmin").users.list({ cursor }),
      org.as("applicant").exemptions.list({ cursor }),
      org.as("applicant").evidence.list({ cursor }),
      org.as("applicant").allocations.list({ cursor }),
      org.as("deptAdmin").tokens.list({ cursor }),
    ];
    for (const cursor of forged) {
      for (const call of calls(cursor)) {
        const err = await call.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(TRPCError);
        expect(err).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^cursor: /) });
      }
    }
  });

  describe("over REST", () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await buildApp({ db: db.db, logger: false, cookieSecret: "paging-test-secret-paging-test-secret" });
    });
    afterAll(async () => {
      await app?.close();
    });

    it("is a 400 problem document naming the cursor", async () => {
      const cookie = `${SESSION_COOKIE}=${await createSession(db.db, org.people.security.id, DEFAULT_AUTH_POLICY, {})}`;
      for (const path of ["/api/v1/systems", "/api/v1/departments", "/api/v1/evidence", "/api/v1/allocations"]) {
        const res = await app.inject({ method: "GET", url: `${path}?cursor=${forged[1]}`, headers: { cookie } });
        expect(res.statusCode, path).toBe(400);
        expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
        expect(res.json()).toMatchObject({ status: 400, code: "INVALID_INPUT" });
      }
      // A real cursor walks on.
      const first = await app.inject({ method: "GET", url: "/api/v1/departments?limit=1", headers: { cookie } });
      const { nextCursor } = first.json() as { nextCursor: string };
      const second = await app.inject({ method: "GET", url: `/api/v1/departments?limit=1&cursor=${nextCursor}`, headers: { cookie } });
      expect(second.statusCode).toBe(200);
      expect((second.json() as { items: { id: string }[] }).items[0]?.id).not.toBe((first.json() as { items: { id: string }[] }).items[0]?.id);
    });
  });
});
