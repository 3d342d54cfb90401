import { and, asc, count, desc, eq, gt, gte, ilike, lte, or, type SQL } from "drizzle-orm";
import { appendAudit } from "../audit/append.js";
import { type ChainEntry, type ChainVerdict, GENESIS_HASH, verifyChain } from "../audit/chain.js";
import type { Db, DbOrTx } from "../db/client.js";
import { auditLog } from "../db/schema/index.js";
import type { ServiceContext } from "./context.js";

/** Records a mutation by the service context's actor; call inside the mutation's transaction. */
export function audit(
  tx: DbOrTx,
  ctx: ServiceContext,
  action: string,
  target: { type: string; id: string },
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
  targetType?: string | undefined;
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
  if (q.targetType) where.push(eq(auditLog.targetType, q.targetType));
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

/** Reads the whole chain in pages and verifies it; names the first entry that does not hold. */
export async function verifyAuditChain(db: Db): Promise<ChainVerdict & { total: number }> {
  let cursor = { hash: GENESIS_HASH, seq: 0 };
  let checked = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.seq, cursor.seq)).orderBy(asc(auditLog.seq)).limit(PAGE);
    const verdict = verifyChain(rows as ChainEntry[], cursor);
    if (!verdict.ok) {
      // How many entries there are, so a break reads "checked 41 of 128", not "41 of 41".
      const [all] = await db.select({ n: count() }).from(auditLog);
      return { ...verdict, checked: checked + verdict.checked, total: all?.n ?? checked + verdict.checked };
    }
    checked += verdict.checked;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return { ok: true, checked, lastHash: verdict.lastHash, total: checked };
    cursor = { hash: last.hash, seq: last.seq };
  }
}
