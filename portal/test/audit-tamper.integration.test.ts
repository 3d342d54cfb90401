/**
 * The audit trail in a database of its own: tampering as the table owner (triggers disabled) is
 * detected by the auditor's verification, which names the first broken entry.
 */

import type { Database } from "@zhengyun/db/client";
import { auditLog } from "@zhengyun/db/schema";
import { count, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, type IsolatedDatabase, isolatedDatabase, makeOrg } from "./harness.js";

let isolated: IsolatedDatabase;
let db: Database;

beforeAll(async () => {
  isolated = await isolatedDatabase("zy_audit");
  db = isolated.database;
});

afterAll(async () => {
  await isolated?.drop();
});

const exec = (q: ReturnType<typeof sql>) => db.db.execute(q);
/** The server's own message for a refused statement (drizzle wraps it). */
const refusal = (q: ReturnType<typeof sql>) =>
  exec(q).then(
    () => "accepted",
    (e: { cause?: { message?: string } }) => e.cause?.message ?? String(e),
  );

describe("audit trail", () => {
  it("chains every mutation, refuses UPDATE/DELETE/TRUNCATE, and detects tampering by the owner", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(2, "internal", { graded: false });
    await org.as("applicant").systems.update({ id: system.id, purpose: "修改后的用途" });
    await org.as("security").systems.grade({ id: system.id, level: 2, filingNumber: "32100000001-20001" });
    const auditor = callerFor(db, org.people.auditor);

    const good = await auditor.audit.verify();
    expect(good).toMatchObject({ ok: true });
    expect(good.checked).toBeGreaterThanOrEqual(3);
    const entries = await auditor.audit.search({ targetId: system.id, limit: 10 });
    expect(entries.map((e) => e.action).sort()).toEqual(["system.grade", "system.register", "system.update"]);
    const update = entries.find((e) => e.action === "system.update")!;
    expect(update.actorName).toBe(org.people.applicant.username);
    expect(update.after).toEqual({ purpose: "修改后的用途" });

    expect(await refusal(sql`update audit_log set action = 'x' where seq = ${update.seq}`)).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(sql`delete from audit_log where seq = ${update.seq}`)).toMatch(/append-only: DELETE refused/);
    expect(await refusal(sql`truncate audit_log`)).toMatch(/append-only: TRUNCATE refused/);

    // The owner disables the trigger and rewrites history.
    await exec(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
    await exec(sql`update audit_log set after = '{"purpose":"篡改"}'::jsonb where seq = ${update.seq}`);
    const tampered = await auditor.audit.verify();
    expect(tampered).toMatchObject({ ok: false, firstBrokenSeq: update.seq, reason: "hash-mismatch" });
    // The verdict says how far it got out of how many entries there are.
    const [rows] = await db.db.select({ n: count() }).from(auditLog);
    expect(tampered.checked).toBe(update.seq - 1);
    expect(tampered.total).toBe(rows?.n);
    expect(tampered.total).toBeGreaterThan(tampered.checked);

    // Recomputing that entry's hash does not help: the next entry's link breaks instead.
    await exec(sql`update audit_log set hash = repeat('a', 64) where seq = ${update.seq}`);
    expect(await auditor.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: update.seq });

    // Removing an entry outright is detected at the gap it leaves.
    await exec(sql`update audit_log set after = ${JSON.stringify({ purpose: "修改后的用途" })}::jsonb, hash = ${update.hash} where seq = ${update.seq}`);
    expect(await auditor.audit.verify()).toMatchObject({ ok: true });
    await exec(sql`delete from audit_log where seq = ${update.seq}`);
    await exec(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
    expect(await auditor.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: update.seq + 1 });
  });
});
