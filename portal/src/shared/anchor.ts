/**
 * The audit chain's external anchor: the head (sequence number and hash) the auditor keeps outside
 * the system, so that removing entries from the end of the chain, which the chain alone cannot
 * reveal, shows when the anchor is checked back. Free of server imports: the UI uses it too.
 */
import { z } from "zod";

/** Names the anchor file's layout; a file with another `format` is refused, one without is read. */
export const ANCHOR_FORMAT = "zhengyun-audit-anchor/1";

export const anchorSeq = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .positive("must be a positive entry number")
  .max(Number.MAX_SAFE_INTEGER, "is too large");
export const anchorHash = z
  .string({ error: "must be text" })
  .trim()
  .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters (the entry's SHA-256 hash)")
  .transform((h) => h.toLowerCase());
/** What the auditor hands back to have an anchor checked. */
export const anchorInput = z.object({ seq: anchorSeq, hash: anchorHash });
export type AnchorInput = z.output<typeof anchorInput>;

/**
 * A short form of an anchor to read aloud or compare on paper: the entry number and the first
 * 16 hexadecimal digits of its hash in groups of four. Checking always uses the full hash.
 */
export function anchorFingerprint(seq: number, hash: string): string {
  const groups =
    hash
      .toLowerCase()
      .slice(0, 16)
      .match(/.{1,4}/g) ?? [];
  return `${seq}:${groups.join("-")}`;
}

/** An anchor as the portal hands it out; dates may arrive as ISO strings. */
export interface Anchor {
  seq: number;
  hash: string;
  at: Date | string;
  takenAt: Date | string;
  entries: number;
  fingerprint: string;
  takenBy: string;
}

/** The anchor file: JSON, fields in a fixed order, times in UTC. */
export function anchorFileText(a: Anchor): string {
  const iso = (d: Date | string) => new Date(d).toISOString();
  const file = {
    format: ANCHOR_FORMAT,
    seq: a.seq,
    hash: a.hash,
    fingerprint: a.fingerprint,
    at: iso(a.at),
    takenAt: iso(a.takenAt),
    entries: a.entries,
    takenBy: a.takenBy,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** zhengyun-audit-anchor-<seq>-<UTC time>.json */
export function anchorFileName(a: Pick<Anchor, "seq" | "takenAt">): string {
  const stamp = new Date(a.takenAt)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
  return `zhengyun-audit-anchor-${a.seq}-${stamp}.json`;
}

export type AnchorProblem = "empty" | "json" | "format" | "seq" | "hash" | "ambiguous";
export type ParsedAnchor = { ok: true; anchor: AnchorInput } | { ok: false; problem: AnchorProblem };

const HASH = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/gi;
const LABELLED_SEQ = /(?:\bseq|\bno\.?|序号|第|#)\s*[:：=]?\s*(\d+)/i;
/** Whole numbers standing alone: not part of a date, a time, a word or a fingerprint group. */
const LONE_NUMBER = /(?<![\w.:/-])\d+(?![\w.:/-])/g;

/**
 * Reads a kept anchor back: the anchor file's JSON, or plain text holding one entry number and one
 * 64-digit hash (as typed from a printout, e.g. "seq 128 hash 3f2a…").
 */
export function parseAnchorText(text: string): ParsedAnchor {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, problem: "empty" };
  return trimmed.startsWith("{") ? fromJson(trimmed) : fromPlainText(trimmed);
}

function fromJson(text: string): ParsedAnchor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problem: "json" };
  const obj = value as Record<string, unknown>;
  if (obj.format !== undefined && obj.format !== ANCHOR_FORMAT) return { ok: false, problem: "format" };
  const seq = typeof obj.seq === "string" && /^\d+$/.test(obj.seq.trim()) ? Number(obj.seq) : obj.seq;
  return validated(seq, obj.hash);
}

function fromPlainText(text: string): ParsedAnchor {
  const hashes = new Set([...text.matchAll(HASH)].map((m) => m[0].toLowerCase()));
  if (hashes.size > 1) return { ok: false, problem: "ambiguous" };
  const [hash] = hashes;
  if (!hash) return { ok: false, problem: "hash" };
  const rest = text.replace(HASH, " ");
  const labelled = LABELLED_SEQ.exec(rest)?.[1];
  if (labelled) return validated(Number(labelled), hash);
  const numbers = new Set([...rest.matchAll(LONE_NUMBER)].map((m) => m[0]));
  if (numbers.size > 1) return { ok: false, problem: "ambiguous" };
  const [only] = numbers;
  return only ? validated(Number(only), hash) : { ok: false, problem: "seq" };
}

function validated(seq: unknown, hash: unknown): ParsedAnchor {
  const result = anchorInput.safeParse({ seq, hash });
  if (result.success) return { ok: true, anchor: result.data };
  const field = result.error.issues[0]?.path[0];
  return { ok: false, problem: field === "hash" ? "hash" : "seq" };
}
