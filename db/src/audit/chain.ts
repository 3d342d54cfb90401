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

/** Digests the chain may use; each entry records its own, so a chain may mix them. */
export const HASH_ALGORITHMS = ["sha256", "sm3"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

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

/** A lone UTF-16 surrogate, or NUL: text PostgreSQL cannot store as given. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** True when `s` holds a lone surrogate or NUL, which PostgreSQL would alter or refuse. */
export const isUnstorable = (s: string) => s.search(UNSTORABLE) !== -1;

/**
 * The path ("a.b.0") of the first string or key in a JSON-like value holding a lone surrogate or
 * NUL, "" for the value itself, or null when there is none.
 */
export function unstorablePath(value: unknown, path = ""): string | null {
  if (typeof value === "string") return isUnstorable(value) ? path : null;
  if (value === null || typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (isUnstorable(k)) return at;
    const found = unstorablePath(v, at);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Text as PostgreSQL will store and return it: the driver encodes a lone surrogate as U+FFFD, and
 * PostgreSQL refuses NUL in text and jsonb, so NUL becomes U+FFFD too. Hashing the stored form is
 * what lets an entry verify when read back.
 */
export function storableText(s: string): string {
  return s.replace(UNSTORABLE, "\ufffd");
}

/** A JSON value with every string and key made storable; undefined becomes null, as jsonb has it. */
export function storableJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const plain = JSON.parse(JSON.stringify(value)) as unknown;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return storableText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), walk(x)]));
    return v;
  };
  return walk(plain);
}

export function entryHash(prevHash: string, f: AuditFields, algorithm: HashAlgorithm = "sha256"): string {
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
  return createHash(algorithm).update(prevHash).update("\n").update(body).digest("hex");
}

export interface ChainEntry extends AuditFields {
  prevHash: string;
  hash: string;
  /** The digest this entry was hashed with; entries from before it was recorded are SHA-256. */
  hashAlg?: string | null;
}

export type BreakReason = "hash-mismatch" | "link-broken" | "gap";

/**
 * One entry that does not hold: the hash it carries and the hash its content gives now (an
 * acknowledgement names both, so altering the entry again shows as a new break).
 */
export interface ChainBreak {
  seq: number;
  reason: BreakReason;
  storedHash: string;
  contentHash: string;
}

/** How many breaks a verdict lists; the count covers them all. */
export const MAX_LISTED_BREAKS = 200;

export type ChainVerdict =
  | { ok: true; checked: number; lastHash: string }
  | { ok: false; checked: number; firstBrokenSeq: number; reason: BreakReason; lastHash: string; breaks: ChainBreak[]; breakCount: number };

const algorithmOf = (e: ChainEntry): HashAlgorithm | null => {
  const alg = e.hashAlg ?? "sha256";
  return (HASH_ALGORITHMS as readonly string[]).includes(alg) ? (alg as HashAlgorithm) : null;
};

/** What an entry's content hashes to with its recorded digest ("" when that digest is unknown). */
export const contentHash = (e: ChainEntry): string => {
  const alg = algorithmOf(e);
  return alg ? entryHash(e.prevHash, e, alg) : "";
};

/** Why an entry does not hold after `prev`, or null when it does. */
export function entryBreak(e: ChainEntry, prev: { hash: string; seq: number }): BreakReason | null {
  if (e.prevHash !== prev.hash) return "link-broken";
  if (e.seq !== prev.seq + 1) return "gap";
  const alg = algorithmOf(e);
  if (!alg || entryHash(e.prevHash, e, alg) !== e.hash) return "hash-mismatch";
  return null;
}

/**
 * Walks entries in sequence order from `start` and reports every entry whose stored hash, link to
 * its predecessor, or sequence number does not hold. After a break the walk goes on from the
 * broken entry's stored hash, so later tampering is found too. `checked` counts the entries that
 * verified before the first break. Feed it page by page with `push`.
 */
export function chainWalker(start: { hash: string; seq: number } = { hash: GENESIS_HASH, seq: 0 }) {
  let prev = { ...start };
  let checked = 0;
  let seen = 0;
  const breaks: ChainBreak[] = [];
  let breakCount = 0;
  let first: ChainBreak | undefined;
  return {
    push(e: ChainEntry) {
      seen++;
      const reason = entryBreak(e, prev);
      if (reason) {
        const b = { seq: e.seq, reason, storedHash: e.hash, contentHash: contentHash(e) };
        first ??= b;
        breakCount++;
        if (breaks.length < MAX_LISTED_BREAKS) breaks.push(b);
      } else if (!first) checked++;
      prev = { hash: e.hash, seq: e.seq };
    },
    get seen() {
      return seen;
    },
    verdict(): ChainVerdict {
      if (!first) return { ok: true, checked, lastHash: prev.hash };
      return { ok: false, checked, firstBrokenSeq: first.seq, reason: first.reason, lastHash: prev.hash, breaks: [...breaks], breakCount };
    },
  };
}

export function verifyChain(entries: Iterable<ChainEntry>, start?: { hash: string; seq: number }): ChainVerdict {
  const walker = chainWalker(start);
  for (const e of entries) walker.push(e);
  return walker.verdict();
}
