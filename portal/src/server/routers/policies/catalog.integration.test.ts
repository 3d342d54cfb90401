/**
 * policies.catalog over HTTP, as the UI calls it, from the real server on PostgreSQL: the controls
 * per level, their requirements, mechanisms and exemptibility, exactly as @zhengyun/policies
 * defines them.
 */
import { randomBytes } from "node:crypto";
import type { Role } from "@zhengyun/db/schema/enums";
import { CONTROLS, type ControlId, FAMILIES, LEVELS, type Level, MECHANISMS } from "@zhengyun/policies/definitions";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDepartment, makeUser, testDatabase } from "../../../../test/harness.js";
import { DEFAULT_AUTH_POLICY, SESSION_COOKIE } from "../../../auth/policy.js";
import { createSession } from "../../../auth/sessions.js";
import type { PolicyCatalog } from "../../../services/policies-service.js";
import { buildApp } from "../../app.js";

let app: FastifyInstance;

beforeAll(async () => {
  const db = await testDatabase();
  app = await buildApp({ db: db.db, logger: false, cookieSecret: randomBytes(32).toString("hex") });
});
afterAll(async () => {
  await app?.close();
});

async function sessionFor(role: Role): Promise<string> {
  const db = await testDatabase();
  const dept = await makeDepartment(db);
  const user = await makeUser(db, dept.id, [role]);
  return createSession(db.db, user.id, DEFAULT_AUTH_POLICY, {});
}

async function fetchCatalog(token: string, input?: object): Promise<{ status: number; catalog: PolicyCatalog }> {
  const query = input ? `?input=${encodeURIComponent(JSON.stringify(input))}` : "";
  const res = await app.inject({ method: "GET", url: `/trpc/policies.catalog${query}`, cookies: { [SESSION_COOKIE]: token } });
  return { status: res.statusCode, catalog: (res.json() as { result: { data: PolicyCatalog } }).result?.data };
}

const applying = (catalog: PolicyCatalog, level: Level) => catalog.controls.filter((c) => c.levels.some((l) => l.level === level)).map((c) => c.id);
const at = (catalog: PolicyCatalog, id: ControlId, level: Level) => catalog.controls.find((c) => c.id === id)?.levels.find((l) => l.level === level);
const param = (catalog: PolicyCatalog, id: ControlId, level: Level, name: string) => at(catalog, id, level)?.parameters.find((p) => p.name === name)?.value;

describe("policies.catalog", () => {
  let catalog: PolicyCatalog;
  beforeAll(async () => {
    const res = await fetchCatalog(await sessionFor("security"));
    expect(res.status).toBe(200);
    catalog = res.catalog;
  });

  it("lists every control of the catalog, in its order, with titles, family, requirement, mechanisms and exemptibility", () => {
    expect(catalog.levels).toEqual([...LEVELS]);
    expect(catalog.zone).toBeNull();
    expect(catalog.controls.map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));
    for (const control of CONTROLS) {
      const served = catalog.controls.find((c) => c.id === control.id)!;
      expect(served.title).toEqual(control.title);
      expect(served.family).toBe(control.family);
      expect(served.requirement).toEqual(control.requirement);
      expect(served.mechanisms).toEqual([...control.mechanisms]);
      expect(served.exemptible, control.id).toBe(control.exemptible);
    }
    expect(catalog.families).toEqual(Object.entries(FAMILIES).map(([id, title]) => ({ id, title })));
    expect(catalog.mechanisms).toEqual(Object.entries(MECHANISMS).map(([id, title]) => ({ id, title })));
  });

  it("gives each control exactly the levels it applies at, with that level's summary", () => {
    for (const control of CONTROLS) {
      for (const level of LEVELS) {
        const entry = at(catalog, control.id, level);
        expect(entry !== undefined, `${control.id} at level ${level}`).toBe(control.appliesAt(level));
        if (entry) expect(entry.summary).toEqual(control.summary(level));
      }
    }
  });

  it("tightens with the level: digest pinning and non-root only from level 3, dedicated nodes required at level 4", () => {
    expect(applying(catalog, 1)).not.toContain("digest-pinning");
    expect(applying(catalog, 1)).not.toContain("non-root-readonly");
    expect(applying(catalog, 3)).toEqual(expect.arrayContaining(["digest-pinning", "non-root-readonly"]));
    expect(param(catalog, "dedicated-nodes", 4, "mode")).toBe("required");
    expect(param(catalog, "dedicated-nodes", 1, "mode")).toBe("forbidden");
    expect(param(catalog, "storage-class", 3, "classes")).toEqual(["encrypted"]);
    expect(param(catalog, "psa", 3, "enforce")).toBe("restricted");
  });

  it("flattens nested parameters into readable name/value pairs", () => {
    const limits = CONTROLS.find((c) => c.id === "resource-limits")!.parameters(2) as { maxPerContainer: { cpu: string; memory: string } };
    expect(param(catalog, "resource-limits", 2, "maxPerContainer.cpu")).toBe(limits.maxPerContainer.cpu);
    expect(param(catalog, "resource-limits", 2, "maxPerContainer.memory")).toBe(limits.maxPerContainer.memory);
  });

  it("resolves internet egress for a zone: none in the internal zone, the level's rule in the external one", async () => {
    const token = await sessionFor("auditor");
    const internal = (await fetchCatalog(token, { zone: "internal" })).catalog;
    const external = (await fetchCatalog(token, { zone: "external" })).catalog;
    expect(internal.zone).toBe("internal");
    for (const level of LEVELS) {
      expect(param(internal, "zone-egress", level, "internet"), `internal, level ${level}`).toBe("none");
      const catalogued = CONTROLS.find((c) => c.id === "zone-egress")!.parameters(level)?.internet;
      expect(param(external, "zone-egress", level, "internet"), `external, level ${level}`).toBe(catalogued);
    }
    expect(param(external, "zone-egress", 4, "internet")).toBe("none");
    // Only zone isolation depends on the zone.
    expect(internal.controls.filter((c) => c.id !== "zone-egress")).toEqual(external.controls.filter((c) => c.id !== "zone-egress"));
  });

  it("is refused without a session", async () => {
    const res = await app.inject({ method: "GET", url: "/trpc/policies.catalog" });
    expect(res.statusCode).toBe(401);
  });
});
