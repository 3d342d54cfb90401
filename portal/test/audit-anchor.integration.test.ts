/**
 * External anchors of the audit chain, in a database of its own: an anchor the auditor kept checks
 * back intact as the chain grows; removing entries from the end, which the chain alone cannot
 * reveal, shows as "truncated"; rewriting the anchored entry shows as "mismatch" even when the
 * table owner re-hashes the chain so that it verifies again.
 */
import type { TRPCError } from "@trpc/server";
import { type ChainEntry, entryHash, GENESIS_HASH } from "@zhengyun/db/audit/chain";
import type { Database } from "@zhengyun/db/client";
import { auditLog } from "@zhengyun/db/schema";
import { asc, desc, eq, gte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorFingerprint } from "../src/shared/anchor.js";
import { callerFor, type IsolatedDatabase, isolatedDatabase, makeOrg, type Org } from "./harness.js";

let isolated: IsolatedDatabase;
let db: Database;
let org: Org;
let auditor: ReturnType<typeof callerFor>;

beforeAll(async () => {
  isolated = await isolatedDatabase("zy_anchor");
  db = isolated.database;
  org = await makeOrg(db);
  auditor = callerFor(db, org.people.auditor);
});

afterAll(async () => {
  await isolated?.drop();
});

const exec = (q: ReturnType<typeof sql>) => db.db.execute(q);
/** More audited activity: each new system appends one entry. */
const activity = async (n: number) => {
  for (let i = 0; i < n; i++) await org.newSystem(2, "external", { graded: false });
};
const check = (a: { seq: number; hash: string }) => auditor.audit.checkAnchor({ seq: a.seq, hash: a.hash });

/** What the table owner can do with the append-only trigger disabled. */
async function asOwner(change: () => Promise<unknown>) {
  await exec(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
  try {
    await change();
  } finally {
    await exec(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
  }
}

/** Recomputes every hash and link from `seq` on, so the rewritten chain verifies again. */
async function rehashFrom(seq: number) {
  const [before] = await db.db
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.seq, seq - 1));
  let prev = before?.hash ?? GENESIS_HASH;
  const rows = await db.db.select().from(auditLog).where(gte(auditLog.seq, seq)).orderBy(asc(auditLog.seq));
  for (const row of rows as ChainEntry[]) {
    const hash = entryHash(prev, row);
    await exec(sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`);
    prev = hash;
  }
}

describe("audit anchors", () => {
  it("anchor the head including the entry that records the taking, and check back intact as the chain grows", async () => {
    await activity(2);
    const a = await auditor.audit.anchor();
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.fingerprint).toBe(anchorFingerprint(a.seq, a.hash));
    expect(a.entries).toBe(a.seq);
    expect(a.takenBy).toBe(org.people.auditor.username);
    expect(a.takenAt).toEqual(a.at);

    // The anchored entry is the audit record of its own taking, and it is the head.
    const [entry] = await auditor.audit.search({ action: "audit.anchor_taken", limit: 1 });
    expect(entry).toMatchObject({ seq: a.seq, hash: a.hash, actorName: org.people.auditor.username, targetType: "audit" });
    expect(new Date(entry!.at)).toEqual(a.at);
    expect(await auditor.audit.verify()).toMatchObject({ ok: true, checked: a.seq, lastHash: a.hash });

    await activity(3);
    const intact = await auditor.audit.checkAnchor({ seq: a.seq, hash: a.hash.toUpperCase() });
    expect(intact).toMatchObject({ verdict: "intact", seq: a.seq, hash: a.hash, headSeq: a.seq + 3, checked: a.seq + 3 });
    expect(intact.message).toMatch(/Anchor intact/);
  });

  it("refuses a malformed anchor with plain messages", async () => {
    const err = await auditor.audit.checkAnchor({ seq: 0, hash: "abc" }).catch((e: TRPCError) => e);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect((err as TRPCError).message).toBe("seq: must be a positive entry number; hash: must be 64 hexadecimal characters (the entry's SHA-256 hash)");
  });

  it("reveal entries removed from the end, which the chain alone cannot", async () => {
    const early = await auditor.audit.anchor();
    await activity(2);
    const late = await auditor.audit.anchor();
    await activity(1);

    // The owner removes everything after the early anchor, the late anchor's entry included.
    await asOwner(() => exec(sql`delete from audit_log where seq > ${early.seq}`));
    expect(await auditor.audit.verify()).toMatchObject({ ok: true, lastHash: early.hash });
    const truncated = await check(late);
    expect(truncated).toMatchObject({ verdict: "truncated", headSeq: early.seq });
    expect(truncated.message).toMatch(/at least 3 entries were removed from the end/);
    // An anchor vouches for the chain up to its entry, not for what came after.
    expect(await check(early)).toMatchObject({ verdict: "intact", headSeq: early.seq });

    // Appending again until the chain is as long as before does not hide it: the entry now at the
    // late anchor's number is another one.
    await activity(late.seq - early.seq);
    const refilled = await check(late);
    expect(refilled).toMatchObject({ verdict: "mismatch", headSeq: late.seq });
    if (refilled.verdict !== "mismatch") throw new Error("expected a mismatch");
    expect(refilled.found).not.toBe(late.hash);
    expect(refilled.found).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reveal the anchored entry rewritten, even when the chain is re-hashed to verify", async () => {
    const before = await auditor.audit.anchor();
    await activity(1);
    const anchored = await auditor.audit.anchor();
    await activity(2);

    await asOwner(async () => {
      await exec(sql`update audit_log set actor_name = 'someone-else' where seq = ${anchored.seq}`);
      await rehashFrom(anchored.seq);
    });
    expect(await auditor.audit.verify()).toMatchObject({ ok: true });
    const [now] = await db.db.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.seq, anchored.seq));
    const rewritten = await check(anchored);
    expect(rewritten).toMatchObject({ verdict: "mismatch", found: now!.hash });
    expect(rewritten.message).toMatch(/history up to it was rewritten/);
    // The earlier anchor still holds: the rewrite began after it.
    expect(await check(before)).toMatchObject({ verdict: "intact" });

    // Altering a later entry without re-hashing leaves the anchored entries alone, but not the chain.
    const [head] = await db.db.select({ seq: auditLog.seq }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    await asOwner(() => exec(sql`update audit_log set after = '{"forged":true}'::jsonb where seq = ${head!.seq}`));
    expect(await check(before)).toMatchObject({ verdict: "broken", firstBrokenSeq: head!.seq, reason: "hash-mismatch" });
  });
});
