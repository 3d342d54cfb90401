import type { ChainEntry } from "@zhengyun/db/audit/chain";
import type { Db } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { auditLog } from "@zhengyun/db/schema";
import { count, desc, eq } from "drizzle-orm";
import { type AnchorCheck, describeAnchorCheck, judgeAnchor } from "../audit/anchor.js";
import { type Anchor, type AnchorInput, anchorFingerprint } from "../shared/anchor.js";
import { audit, verifyAuditChain } from "./audit-service.js";

/**
 * Takes an anchor of the chain for the auditor to keep outside the system. Taking it is audited,
 * and the anchor is that very entry ("audit.anchor_taken"): the head INCLUDING the record of its
 * taking, so removing that record later shows as truncation too. The entry is appended under the
 * chain's append lock, so nothing can slip in between it and the head handed out.
 */
export async function takeAuditAnchor(ctx: ServiceContext): Promise<Anchor & { at: Date; takenAt: Date }> {
  return ctx.db.transaction(async (tx) => {
    const { seq, hash } = await audit(tx, ctx, "audit.anchor_taken", { type: "audit", id: "chain" });
    const [entry] = await tx.select({ at: auditLog.at }).from(auditLog).where(eq(auditLog.seq, seq));
    const [total] = await tx.select({ entries: count() }).from(auditLog);
    return {
      seq,
      hash,
      at: entry!.at,
      takenAt: entry!.at,
      entries: total!.entries,
      fingerprint: anchorFingerprint(seq, hash),
      takenBy: ctx.actor.username,
    };
  });
}

/**
 * Checks a kept anchor against the chain as it is now, all reads in one snapshot: the head, the
 * anchored entry, and the whole chain's verification (the same walk as the auditor's banner).
 */
export async function checkAuditAnchor(db: Db, anchor: AnchorInput): Promise<AnchorCheck & { message: string }> {
  return db.transaction(
    async (tx) => {
      const [head] = await tx.select({ seq: auditLog.seq }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
      const [entry] = await tx.select().from(auditLog).where(eq(auditLog.seq, anchor.seq));
      const chain = await verifyAuditChain(tx);
      const check = judgeAnchor(anchor, { headSeq: head?.seq ?? 0, entry: (entry as ChainEntry | undefined) ?? null, chain });
      return { ...check, message: describeAnchorCheck(check) };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
