import { desc, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { auditLog } from "../db/schema/index.js";
import { entryHash, GENESIS_HASH } from "./chain.js";

export interface AuditInput {
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  correlationId: string;
  at: Date;
}

/** Lock id serialising appends, so each entry links to the one committed before it. */
const AUDIT_LOCK = 715002;

const toJson = (v: unknown) => (v === undefined ? null : JSON.parse(JSON.stringify(v)));

/**
 * Appends one entry to the hash chain. Must run inside the transaction that makes the change it
 * records: the entry commits or rolls back with it.
 */
export async function appendAudit(tx: DbOrTx, input: AuditInput): Promise<{ seq: number; hash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const fields = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(Math.floor(input.at.getTime())),
    actorId: input.actorId,
    actorName: input.actorName,
    actorRole: input.actorRole,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    before: toJson(input.before),
    after: toJson(input.after),
    correlationId: input.correlationId,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = entryHash(prevHash, fields);
  await tx.insert(auditLog).values({ ...fields, prevHash, hash });
  return { seq: fields.seq, hash };
}
