import { createHash } from "node:crypto";

/** The fields of an audit entry covered by its hash. */
export interface AuditFields {
  seq: number;
  at: Date;
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  correlationId: string;
}

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(prevHash: string, f: AuditFields): string {
  // Only the audited fields, by name: rows read back carry more columns (prevHash, hash).
  const body = canonicalJson({
    seq: f.seq,
    at: f.at.toISOString(),
    actorId: f.actorId,
    actorName: f.actorName,
    actorRole: f.actorRole,
    action: f.action,
    targetType: f.targetType,
    targetId: f.targetId,
    before: f.before,
    after: f.after,
    correlationId: f.correlationId,
  });
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

export interface ChainEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; checked: number; lastHash: string }
  | { ok: false; checked: number; firstBrokenSeq: number; reason: "hash-mismatch" | "link-broken" | "gap" };

/**
 * Walks entries in sequence order from `startHash` and names the first entry whose stored hash,
 * link to its predecessor, or sequence number does not hold.
 */
export function verifyChain(entries: Iterable<ChainEntry>, start: { hash: string; seq: number } = { hash: GENESIS_HASH, seq: 0 }): ChainVerdict {
  let prev = start.hash;
  let prevSeq = start.seq;
  let checked = 0;
  for (const e of entries) {
    if (e.prevHash !== prev) return { ok: false, checked, firstBrokenSeq: e.seq, reason: "link-broken" };
    if (e.seq !== prevSeq + 1) return { ok: false, checked, firstBrokenSeq: e.seq, reason: "gap" };
    if (entryHash(e.prevHash, e) !== e.hash) return { ok: false, checked, firstBrokenSeq: e.seq, reason: "hash-mismatch" };
    prev = e.hash;
    prevSeq = e.seq;
    checked++;
  }
  return { ok: true, checked, lastHash: prev };
}
