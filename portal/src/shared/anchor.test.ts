import { describe, expect, it } from "vitest";
import { ANCHOR_FORMAT, anchorFileName, anchorFileText, anchorFingerprint, anchorInput, parseAnchorText } from "./anchor.js";

const HASH = "3f2a91c077bd0e14".padEnd(64, "ab");
const OTHER = "c".repeat(64);
const anchor = {
  seq: 128,
  hash: HASH,
  at: "2026-03-01T02:03:04.005Z",
  takenAt: new Date("2026-03-01T02:03:04.005Z"),
  entries: 128,
  fingerprint: anchorFingerprint(128, HASH),
  takenBy: "auditor1",
};

describe("anchor input", () => {
  it("takes a positive whole entry number and a 64-digit hash, lower-cased", () => {
    expect(anchorInput.parse({ seq: 3, hash: ` ${HASH.toUpperCase()} ` })).toEqual({ seq: 3, hash: HASH });
  });

  it("refuses a bad entry number or hash with a plain message", () => {
    const issues = (v: unknown) => anchorInput.safeParse(v).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ seq: 0, hash: HASH })).toEqual(["seq: must be a positive entry number"]);
    expect(issues({ seq: 1.5, hash: HASH })).toEqual(["seq: must be a whole number"]);
    expect(issues({ seq: 1, hash: HASH.slice(1) })).toEqual(["hash: must be 64 hexadecimal characters (the entry's SHA-256 hash)"]);
    expect(issues({ seq: 1, hash: `${HASH.slice(1)}g` })).toHaveLength(1);
  });
});

describe("anchor fingerprint and file", () => {
  it("shows the entry number and the hash's first 16 digits in groups of four", () => {
    expect(anchorFingerprint(128, HASH)).toBe("128:3f2a-91c0-77bd-0e14");
  });

  it("writes a JSON file that reads back as the same anchor", () => {
    const text = anchorFileText(anchor);
    expect(JSON.parse(text)).toEqual({
      format: ANCHOR_FORMAT,
      seq: 128,
      hash: HASH,
      fingerprint: "128:3f2a-91c0-77bd-0e14",
      at: "2026-03-01T02:03:04.005Z",
      takenAt: "2026-03-01T02:03:04.005Z",
      entries: 128,
      takenBy: "auditor1",
    });
    expect(parseAnchorText(text)).toEqual({ ok: true, anchor: { seq: 128, hash: HASH } });
    expect(anchorFileName(anchor)).toBe("zhengyun-audit-anchor-128-20260301T020304Z.json");
  });
});

describe("reading a kept anchor", () => {
  const ok = (seq: number) => ({ ok: true, anchor: { seq, hash: HASH } });
  const problem = (p: string) => ({ ok: false, problem: p });

  it("reads JSON with or without the format, the number as a number or digits", () => {
    expect(parseAnchorText(JSON.stringify({ seq: 7, hash: HASH }))).toEqual(ok(7));
    expect(parseAnchorText(JSON.stringify({ seq: "7", hash: HASH.toUpperCase() }))).toEqual(ok(7));
  });

  it("reads plain text typed from a printout", () => {
    expect(parseAnchorText(`seq 42 hash ${HASH}`)).toEqual(ok(42));
    expect(parseAnchorText(`${HASH}\n42`)).toEqual(ok(42));
    expect(parseAnchorText(`第 42 条  ${HASH}`)).toEqual(ok(42));
    // Dates, times and the fingerprint beside the number are not taken for it.
    expect(parseAnchorText(`2026-03-01 10:30  序号：42  ${HASH}`)).toEqual(ok(42));
    expect(parseAnchorText(`42 ${HASH} 2026-03-01`)).toEqual(ok(42));
  });

  it("names what is wrong", () => {
    expect(parseAnchorText("  ")).toEqual(problem("empty"));
    expect(parseAnchorText("{ seq: 1 }")).toEqual(problem("json"));
    expect(parseAnchorText("{1")).toEqual(problem("json"));
    expect(parseAnchorText(JSON.stringify({ format: "other/1", seq: 1, hash: HASH }))).toEqual(problem("format"));
    expect(parseAnchorText(JSON.stringify({ seq: 0, hash: HASH }))).toEqual(problem("seq"));
    expect(parseAnchorText(JSON.stringify({ seq: 1, hash: "abc" }))).toEqual(problem("hash"));
    expect(parseAnchorText("seq 42 hash 3f2a91c0")).toEqual(problem("hash"));
    expect(parseAnchorText(HASH)).toEqual(problem("seq"));
    expect(parseAnchorText(`${HASH} ${OTHER} 42`)).toEqual(problem("ambiguous"));
    expect(parseAnchorText(`41 42 ${HASH}`)).toEqual(problem("ambiguous"));
    expect(parseAnchorText(`seq 0 ${HASH}`)).toEqual(problem("seq"));
  });
});
