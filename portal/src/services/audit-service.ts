import { AUDIT_LOCK, appendAudit } from "@zhengyun/db/audit/append";
import { type BreakReason, type ChainBreak, type ChainEntry, chainWalker } from "@zhengyun/db/audit/chain";
import { type AuditAction, type AuditTargetType, targetTypesMatching } from "@zhengyun/db/audit/vocabulary";
import type { Db, DbOrTx } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { AppError } from "@zhengyun/db/errors";
import { auditLog } from "@zhengyun/db/schema";
import { and, asc, desc, eq, gt, gte, ilike, inArray, lte, or, type SQL, sql } from "drizzle-orm";

/** Records a mutation by the service context's actor; call inside the mutation's transaction. */
export function audit(
  tx: DbOrTx,
  ctx: ServiceContext,
  action: AuditAction,
  target: { type: AuditTargetType; id: string },
  change: { before?: unknown; after?: unknown } = {},
) {
  return appendAudit(tx, {
    actorId: ctx.actor.id,
    actorName: ctx.actor.username,
    actorRole: ctx.role,
    action,
    targetType: target.type,
    targetId: target.id,
    before: change.before,
    after: change.after,
    correlationId: ctx.correlationId,
    at: ctx.now(),
  });
}

export interface AuditQuery {
  actor?: string | undefined;
  action?: string | undefined;
  targetType?: AuditTargetType | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  text?: string | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

export async function searchAudit(db: Db, q: AuditQuery) {
  const where: SQL[] = [];
  if (q.actor) where.push(eq(auditLog.actorName, q.actor));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.targetType) where.push(inArray(auditLog.targetType, targetTypesMatching(q.targetType)));
  if (q.targetId) where.push(eq(auditLog.targetId, q.targetId));
  if (q.from) where.push(gte(auditLog.at, q.from));
  if (q.to) where.push(lte(auditLog.at, q.to));
  if (q.beforeSeq) where.push(lte(auditLog.seq, q.beforeSeq - 1));
  if (q.text) {
    const pattern = `%${q.text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(auditLog.action, pattern), ilike(auditLog.targetId, pattern), ilike(auditLog.actorName, pattern)) as SQL);
  }
  return db
    .select({
      seq: auditLog.seq,
      at: auditLog.at,
      actorName: auditLog.actorName,
      actorRole: auditLog.actorRole,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      before: auditLog.before,
      after: auditLog.after,
      correlationId: auditLog.correlationId,
      hash: auditLog.hash,
    })
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.seq))
    .limit(q.limit);
}

const PAGE = 2000;

/** The action of an auditor's acknowledgement that an entry breaks the chain (a "known break"). */
export const BREAK_ACKNOWLEDGED: AuditAction = "audit.break_acknowledged";

export interface Acknowledgement {
  /** The acknowledging entry's own sequence number. */
  ackSeq: number;
  by: string;
  at: Date;
  reason: string;
}

export interface ReportedBreak extends ChainBreak {
  acknowledged: Acknowledgement | null;
}

export type AuditChainVerdict =
  | { ok: true; checked: number; total: number; lastHash: string; breaks: ReportedBreak[]; breakCount: number }
  | {
      ok: false;
      checked: number;
      total: number;
      lastHash: string;
      /** The first break no auditor has acknowledged. */
      firstBrokenSeq: number;
      reason: BreakReason;
      breaks: ReportedBreak[];
      breakCount: number;
    };

/**
 * The acknowledgements recorded in the chain, by the sequence number they name. Each holds only
 * for the stored hash it names: if the broken entry is altered again, the break shows again.
 */
async function acknowledgements(db: DbOrTx) {
  const rows = await db
    .select({ seq: auditLog.seq, at: auditLog.at, by: auditLog.actorName, after: auditLog.after })
    .from(auditLog)
    .where(eq(auditLog.action, BREAK_ACKNOWLEDGED))
    .orderBy(asc(auditLog.seq));
  const acks = new Map<string, Acknowledgement>();
  for (const r of rows) {
    const a = r.after as { seq?: number; storedHash?: string; contentHash?: string; reason?: string } | null;
    if (a && typeof a.seq === "number" && r.seq > a.seq)
      acks.set(`${a.seq}:${a.storedHash}:${a.contentHash}`, { ackSeq: r.seq, by: r.by, at: r.at, reason: a.reason ?? "" });
  }
  return acks;
}

/**
 * Reads the whole chain in pages and verifies it; reports every entry that does not hold, and
 * which of them an auditor has acknowledged as a known break. The chain is `ok` when every break
 * is acknowledged.
 */
export async function verifyAuditChain(db: DbOrTx): Promise<AuditChainVerdict> {
  const walker = chainWalker();
  let cursor = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.seq, cursor)).orderBy(asc(auditLog.seq)).limit(PAGE);
    for (const row of rows) walker.push(row as ChainEntry);
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) break;
    cursor = last.seq;
  }
  const verdict = walker.verdict();
  const total = walker.seen;
  if (verdict.ok) return { ok: true, checked: verdict.checked, total, lastHash: verdict.lastHash, breaks: [], breakCount: 0 };
  const acks = await acknowledgements(db);
  const breaks = verdict.breaks.map((b) => ({ ...b, acknowledged: acks.get(`${b.seq}:${b.storedHash}:${b.contentHash}`) ?? null }));
  const open = breaks.find((b) => !b.acknowledged);
  // Breaks past the listed ones are never taken as acknowledged.
  const unlisted = verdict.breakCount > breaks.length;
  const checked = verdict.checked;
  if (!open && !unlisted) return { ok: true, checked: total, total, lastHash: verdict.lastHash, breaks, breakCount: verdict.breakCount };
  const first = open ?? { seq: verdict.breaks.at(-1)!.seq, reason: verdict.breaks.at(-1)!.reason };
  return { ok: false, checked, total, lastHash: verdict.lastHash, firstBrokenSeq: first.seq, reason: first.reason, breaks, breakCount: verdict.breakCount };
}

/**
 * The auditor acknowledges that entry `seq` breaks the chain (e.g. an entry written before text
 * was made storable), with a reason. Only a break verification finds now, and not yet
 * acknowledged, can be acknowledged; the acknowledgement is itself an audit entry naming the
 * broken entry's stored hash.
 */
export async function acknowledgeBreak(ctx: ServiceContext, input: { seq: number; reason: string }) {
  return ctx.db.transaction(async (tx) => {
    // Under the append lock, so the verdict cannot change before the acknowledgement is written.
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const verdict = await verifyAuditChain(tx);
    const found = verdict.breaks.find((b) => b.seq === input.seq);
    if (!found) throw new AppError("INVALID_STATE", `第 ${input.seq} 条记录未发现断链 / entry ${input.seq} does not break the chain`);
    if (found.acknowledged) throw new AppError("CONFLICT", `第 ${input.seq} 条记录的断链已确认 / the break at entry ${input.seq} is already acknowledged`);
    const { seq } = await audit(
      tx,
      ctx,
      BREAK_ACKNOWLEDGED,
      { type: "audit", id: String(input.seq) },
      { after: { seq: found.seq, breakReason: found.reason, storedHash: found.storedHash, contentHash: found.contentHash, reason: input.reason } },
    );
    return { seq: found.seq, ackSeq: seq };
  });
}
