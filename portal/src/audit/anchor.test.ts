import { type ChainEntry, entryHash, GENESIS_HASH, verifyChain } from "@zhengyun/db/audit/chain";
import { describe, expect, it } from "vitest";
import { describeAnchorCheck, judgeAnchor } from "./anchor.js";

function chain(n: number): ChainEntry[] {
  const out: ChainEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      at: new Date(1_700_000_000_000 + seq),
      actorId: null,
      actorName: "auditor1",
      actorRole: "auditor",
      action: "audit.anchor_taken",
      targetType: "audit",
      targetId: "chain",
      before: null,
      after: null,
      correlationId: `c${seq}`,
    };
    const hash = entryHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

/** The facts the service gathers, from a list of entries standing for the table. */
const facts = (entries: ChainEntry[], seq: number) => ({
  headSeq: entries.at(-1)?.seq ?? 0,
  entry: entries.find((e) => e.seq === seq) ?? null,
  chain: verifyChain(entries),
});

describe("judging a kept anchor", () => {
  const trail = chain(6);
  const anchor = { seq: 4, hash: trail[3]!.hash };

  it("is intact when the anchored entry holds and the chain verifies, whatever was appended since", () => {
    expect(judgeAnchor(anchor, facts(trail, 4))).toEqual({ verdict: "intact", ...anchor, headSeq: 6, checked: 6 });
    expect(judgeAnchor(anchor, facts(trail.slice(0, 4), 4))).toMatchObject({ verdict: "intact", headSeq: 4 });
  });

  it("is truncated when the head went below the anchored entry", () => {
    expect(judgeAnchor(anchor, facts(trail.slice(0, 2), 4))).toEqual({ verdict: "truncated", ...anchor, headSeq: 2 });
    expect(judgeAnchor(anchor, facts([], 4))).toMatchObject({ verdict: "truncated", headSeq: 0 });
  });

  it("is a mismatch when the anchored entry is rewritten, even with the chain re-hashed to verify", () => {
    const rewritten = chain(6).map((e) => ({ ...e, correlationId: `x${e.seq}` }));
    let prev = GENESIS_HASH;
    for (const e of rewritten) {
      e.prevHash = prev;
      e.hash = entryHash(prev, e);
      prev = e.hash;
    }
    expect(verifyChain(rewritten).ok).toBe(true);
    expect(judgeAnchor(anchor, facts(rewritten, 4))).toEqual({ verdict: "mismatch", ...anchor, headSeq: 6, found: rewritten[3]!.hash });
  });

  it("is a mismatch when the anchored entry's content changed under its old hash, or it is gone", () => {
    const altered = chain(6);
    altered[3] = { ...altered[3]!, actorName: "someone" };
    const found = entryHash(altered[3]!.prevHash, altered[3]!);
    expect(judgeAnchor(anchor, facts(altered, 4))).toMatchObject({ verdict: "mismatch", found });
    const removed = trail.filter((e) => e.seq !== 4);
    expect(judgeAnchor(anchor, facts(removed, 4))).toMatchObject({ verdict: "mismatch", found: null });
  });

  it("is broken when the anchored entry holds but the chain fails elsewhere", () => {
    const altered = chain(6);
    altered[5] = { ...altered[5]!, actorName: "someone" };
    expect(judgeAnchor(anchor, facts(altered, 4))).toEqual({ verdict: "broken", ...anchor, headSeq: 6, firstBrokenSeq: 6, reason: "hash-mismatch" });
  });

  it("says each verdict in both languages", () => {
    expect(describeAnchorCheck({ verdict: "intact", ...anchor, headSeq: 6, checked: 6 })).toMatch(/锚点核对通过.* \/ Anchor intact/);
    expect(describeAnchorCheck({ verdict: "truncated", ...anchor, headSeq: 2 })).toMatch(/at least 2 entries were removed from the end/);
    expect(describeAnchorCheck({ verdict: "mismatch", ...anchor, headSeq: 6, found: null })).toMatch(/entry 4 is missing/);
    expect(describeAnchorCheck({ verdict: "mismatch", ...anchor, headSeq: 6, found: "f".repeat(64) })).toMatch(/rewritten/);
    expect(describeAnchorCheck({ verdict: "broken", ...anchor, headSeq: 6, firstBrokenSeq: 6, reason: "gap" })).toMatch(/序号不连续/);
  });
});
