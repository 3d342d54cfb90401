import { type ChainEntry, type ChainVerdict, entryHash, type HashAlgorithm } from "@zhengyun/db/audit/chain";
import type { AnchorInput } from "../shared/anchor.js";

type BreakReason = Extract<ChainVerdict, { ok: false }>["reason"];

/**
 * What checking a kept anchor found. `headSeq` is the chain's last entry now (0 when empty).
 * - intact: the anchored entry is there with the anchored hash, and the chain verifies to its head;
 * - truncated: the head is below the anchored entry: entries were removed from the end;
 * - mismatch: the anchored entry is gone (`found` null) or hashes differently now: history up to
 *   it was rewritten, even when the chain was re-hashed so that it verifies again;
 * - broken: the anchored entry holds, but the chain fails verification elsewhere.
 */
export type AnchorCheck =
  | { verdict: "intact"; seq: number; hash: string; headSeq: number; checked: number }
  | { verdict: "truncated"; seq: number; hash: string; headSeq: number }
  | { verdict: "mismatch"; seq: number; hash: string; headSeq: number; found: string | null }
  | { verdict: "broken"; seq: number; hash: string; headSeq: number; firstBrokenSeq: number; reason: BreakReason };

export interface ChainFacts {
  /** The highest sequence number in the chain, 0 when it is empty. */
  headSeq: number;
  /** The entry stored at the anchored sequence number, if any. */
  entry: ChainEntry | null;
  /** The chain's verification from genesis to its head. */
  chain: ChainVerdict;
}

/** Judges a kept anchor against the chain as it is now. */
export function judgeAnchor(anchor: AnchorInput, facts: ChainFacts): AnchorCheck {
  const base = { seq: anchor.seq, hash: anchor.hash, headSeq: facts.headSeq };
  if (facts.headSeq < anchor.seq) return { verdict: "truncated", ...base };
  const { entry, chain } = facts;
  if (!entry) return { verdict: "mismatch", ...base, found: null };
  // The stored hash may have been left in place over altered content: recompute it too.
  const recomputed = entryHash(entry.prevHash, entry, (entry.hashAlg ?? "sha256") as HashAlgorithm);
  if (entry.hash !== anchor.hash) return { verdict: "mismatch", ...base, found: entry.hash };
  if (recomputed !== anchor.hash) return { verdict: "mismatch", ...base, found: recomputed };
  if (!chain.ok) return { verdict: "broken", ...base, firstBrokenSeq: chain.firstBrokenSeq, reason: chain.reason };
  return { verdict: "intact", ...base, checked: chain.checked };
}

const REASON: Record<BreakReason, string> = {
  "hash-mismatch": "记录内容与哈希不符 / an entry does not match its hash",
  "link-broken": "与上一条记录的链接断开 / the link to the previous entry is broken",
  gap: "序号不连续 / sequence numbers are missing",
};

/** The verdict in plain words, Chinese then English, for API callers. */
export function describeAnchorCheck(c: AnchorCheck): string {
  switch (c.verdict) {
    case "intact":
      return (
        `锚点核对通过：第 ${c.seq} 条记录仍在链中且哈希一致，链头为第 ${c.headSeq} 条，全链 ${c.checked} 条记录校验通过。 / ` +
        `Anchor intact: entry ${c.seq} is still in the chain with the anchored hash; the head is entry ${c.headSeq} and all ${c.checked} entries verify.`
      );
    case "truncated":
      return (
        `链尾被截断：锚点指向第 ${c.seq} 条记录，链头现为第 ${c.headSeq} 条，末尾至少 ${c.seq - c.headSeq} 条记录被删除。 / ` +
        `Truncated: the anchor names entry ${c.seq} but the chain now ends at entry ${c.headSeq}; at least ${c.seq - c.headSeq} entries were removed from the end.`
      );
    case "mismatch":
      return c.found === null
        ? `锚点记录缺失：第 ${c.seq} 条记录已不存在。 / Mismatch: entry ${c.seq} is missing from the chain.`
        : `锚点记录被改写：第 ${c.seq} 条记录的哈希现为 ${c.found}，与锚点不一致。 / ` +
            `Mismatch: entry ${c.seq} now hashes to ${c.found}, not to the anchored hash; history up to it was rewritten.`;
    case "broken":
      return (
        `第 ${c.seq} 条记录与锚点一致，但审计链在第 ${c.firstBrokenSeq} 条记录处校验失败（${REASON[c.reason]}）。 / ` +
        `Entry ${c.seq} matches the anchor, but the chain fails verification at entry ${c.firstBrokenSeq}.`
      );
  }
}
