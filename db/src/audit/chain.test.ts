import { describe, expect, it } from "vitest";
import {
  type ChainEntry,
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  type HashAlgorithm,
  isUnstorable,
  storableJson,
  storableText,
  unstorablePath,
  verifyChain,
} from "./chain.js";

function chain(n: number, algorithmOf: (seq: number) => HashAlgorithm = () => "sha256"): ChainEntry[] {
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
    const hashAlg = algorithmOf(seq);
    const hash = entryHash(prev, fields, hashAlg);
    out.push({ ...fields, prevHash: prev, hash, hashAlg });
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

  it("reports every break, not only the first, and goes on from each broken entry", () => {
    const entries = chain(8);
    entries[1] = { ...entries[1]!, after: { a: 9 } };
    entries[4] = { ...entries[4]!, actorName: "someone" };
    const withGap = entries.filter((e) => e.seq !== 7);
    const v = verifyChain(withGap);
    expect(v).toMatchObject({ ok: false, checked: 1, firstBrokenSeq: 2, reason: "hash-mismatch", breakCount: 3 });
    expect(v.ok ? [] : v.breaks.map((b) => [b.seq, b.reason])).toEqual([
      [2, "hash-mismatch"],
      [5, "hash-mismatch"],
      [8, "link-broken"],
    ]);
  });

  it("verifies SM3 chains and chains mixing SM3 and SHA-256, each entry by its own digest", () => {
    const sm3 = chain(4, () => "sm3");
    expect(sm3[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3[0]!.hash).not.toBe(chain(1)[0]!.hash);
    expect(verifyChain(sm3)).toMatchObject({ ok: true, checked: 4 });
    const mixed = chain(6, (seq) => (seq % 2 ? "sha256" : "sm3"));
    expect(verifyChain(mixed)).toMatchObject({ ok: true, checked: 6 });
    // Relabelling an entry's digest does not pass for it.
    mixed[2] = { ...mixed[2]!, hashAlg: "sm3" };
    expect(verifyChain(mixed)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: "hash-mismatch" });
    mixed[2] = { ...mixed[2]!, hashAlg: "md5" };
    expect(verifyChain(mixed)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it("makes text storable as PostgreSQL stores it: lone surrogates and NUL become U+FFFD", () => {
    expect(isUnstorable("\ud800x")).toBe(true);
    expect(isUnstorable("x\udc00")).toBe(true);
    expect(isUnstorable("a\u0000b")).toBe(true);
    expect(isUnstorable("政云 😀")).toBe(false);
    expect(storableText("\ud800x")).toBe("\ufffdx");
    expect(storableText("a\u0000b")).toBe("a\ufffdb");
    expect(storableText("政云 😀")).toBe("政云 😀");
    expect(storableJson({ "k\ud800": ["\u0000", 1, null, { d: new Date(0) }], u: undefined })).toEqual({
      "k\ufffd": ["\ufffd", 1, null, { d: "1970-01-01T00:00:00.000Z" }],
    });
    expect(storableJson(undefined)).toBeNull();
    expect(unstorablePath({ a: [{ b: "ok" }, { c: "\ud800" }] })).toBe("a.1.c");
    expect(unstorablePath({ a: "fine" })).toBeNull();
    expect(unstorablePath("\u0000")).toBe("");
  });
});
