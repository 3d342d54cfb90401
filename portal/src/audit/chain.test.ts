import { describe, expect, it } from "vitest";
import { type ChainEntry, canonicalJson, entryHash, GENESIS_HASH, verifyChain } from "./chain.js";

function chain(n: number): ChainEntry[] {
  const out: ChainEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      at: new Date(1_700_000_000_000 + seq),
      actorId: null,
      actorName: "ops1",
      actorRole: "ops",
      action: "request.approve",
      targetType: "request",
      targetId: `r${seq}`,
      before: { state: "submitted" },
      after: { b: 2, a: 1 },
      correlationId: `c${seq}`,
    };
    const hash = entryHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe("audit chain", () => {
  it("canonical JSON ignores key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });

  it("verifies an intact chain, including rows that carry their stored hashes", () => {
    expect(verifyChain(chain(5))).toMatchObject({ ok: true, checked: 5 });
  });

  it("names the first altered, relinked or missing entry", () => {
    const altered = chain(5);
    altered[2] = { ...altered[2]!, after: { a: 9 } };
    expect(verifyChain(altered)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: "hash-mismatch" });

    const missing = chain(5).filter((e) => e.seq !== 4);
    expect(verifyChain(missing)).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: "link-broken" });

    const renumbered = chain(3);
    renumbered[1] = { ...renumbered[1]!, seq: 7 };
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, firstBrokenSeq: 7 });
  });
});
