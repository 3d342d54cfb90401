import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Append-only, hash-chained audit trail. Each entry's hash covers its own fields and the previous
 * entry's hash; triggers (custom migration) refuse UPDATE, DELETE and TRUNCATE.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    /** Assigned under a lock as previous + 1, so a gap means a removed entry. */
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid("actor_id"),
    actorName: text("actor_name").notNull(),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    correlationId: text("correlation_id").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull().unique(),
    /** The digest of `hash`: sha256 or sm3 (GB/T 32905), chosen by ZHENGYUN_AUDIT_HASH when appended. */
    hashAlg: text("hash_alg").notNull().default("sha256"),
  },
  (t) => [index("audit_target").on(t.targetType, t.targetId), index("audit_actor").on(t.actorId), index("audit_at").on(t.at)],
);
