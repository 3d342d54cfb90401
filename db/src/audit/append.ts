import { desc, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { auditLog } from "../schema/index.js";
import { entryHash, GENESIS_HASH, HASH_ALGORITHMS, type HashAlgorithm, storableJson, storableText } from "./chain.js";
import type { AuditAction, AuditTargetType } from "./vocabulary.js";

export interface AuditInput {
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  before?: unknown;
  after?: unknown;
  correlationId: string;
  at: Date;
}

/** Lock id serialising appends, so each entry links to the one committed before it. */
export const AUDIT_LOCK = 715002;

/** The digest new entries use: ZHENGYUN_AUDIT_HASH (sha256, the default, or sm3). */
export function auditHashAlgorithm(env: NodeJS.ProcessEnv = process.env): HashAlgorithm {
  const configured = env.ZHENGYUN_AUDIT_HASH ?? "sha256";
  if (!(HASH_ALGORITHMS as readonly string[]).includes(configured))
    throw new Error(`ZHENGYUN_AUDIT_HASH must be one of ${HASH_ALGORITHMS.join(", ")}, not ${JSON.stringify(configured)}`);
  return configured as HashAlgorithm;
}

const nullableText = (v: string | null) => (v === null ? null : storableText(v));

/**
 * Appends one entry to the hash chain. Must run inside the transaction that makes the change it
 * records: the entry commits or rolls back with it.
 */
export async function appendAudit(tx: DbOrTx, input: AuditInput, algorithm: HashAlgorithm = auditHashAlgorithm()): Promise<{ seq: number; hash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  // Every value exactly as PostgreSQL will hand it back (text made storable, times to the
  // millisecond, JSON round-tripped), so the hash computed now is the hash verified later.
  const fields = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(Math.floor(input.at.getTime())),
    actorId: input.actorId,
    actorName: storableText(input.actorName),
    actorRole: nullableText(input.actorRole),
    action: storableText(input.action),
    targetType: storableText(input.targetType),
    targetId: storableText(input.targetId),
    before: storableJson(input.before),
    after: storableJson(input.after),
    correlationId: storableText(input.correlationId),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = entryHash(prevHash, fields, algorithm);
  await tx.insert(auditLog).values({ ...fields, prevHash, hash, hashAlg: algorithm });
  return { seq: fields.seq, hash };
}
