import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstFreeBlock, formatBlock, overlaps, parseCidr } from "./segments.js";

describe("segments", () => {
  it("parses and formats CIDRs, normalising host bits", () => {
    expect(formatBlock(parseCidr("10.64.3.7/24"))).toBe("10.64.3.0/24");
    expect(() => parseCidr("10.0.0.256/24")).toThrow(/IPv4/);
    expect(() => parseCidr("fe80::/64")).toThrow(/IPv4/);
  });

  it("allocates the lowest aligned free block", () => {
    const pool = parseCidr("10.64.0.0/16");
    const taken = ["10.64.0.0/24", "10.64.1.0/28"].map(parseCidr);
    expect(formatBlock(firstFreeBlock(pool, taken, 28)!)).toBe("10.64.1.16/28");
    expect(formatBlock(firstFreeBlock(pool, taken, 24)!)).toBe("10.64.2.0/24");
  });

  it("reports exhaustion", () => {
    const pool = parseCidr("10.64.0.0/24");
    expect(firstFreeBlock(pool, [parseCidr("10.64.0.0/25")], 24)).toBeNull();
    expect(formatBlock(firstFreeBlock(pool, [parseCidr("10.64.0.0/25")], 25)!)).toBe("10.64.0.128/25");
  });

  it("never returns a block that overlaps a taken one or leaves the pool", () => {
    const pool = parseCidr("10.0.0.0/20");
    const block = fc.record({ third: fc.integer({ min: 0, max: 15 }), fourth: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 22, max: 28 }) });
    fc.assert(
      fc.property(fc.array(block, { maxLength: 30 }), fc.integer({ min: 24, max: 28 }), (raw, prefix) => {
        const taken = raw.map((b) => parseCidr(`10.0.${b.third}.${b.fourth}/${b.prefix}`));
        const got = firstFreeBlock(pool, taken, prefix);
        if (got === null) {
          // exhaustion must be real: every aligned block overlaps something
          for (let s = pool.start; s < pool.start + 4096; s += 2 ** (32 - prefix)) {
            expect(taken.some((t) => overlaps(t, { start: s, prefix }))).toBe(true);
          }
          return;
        }
        expect(taken.some((t) => overlaps(t, got))).toBe(false);
        expect(overlaps(got, pool)).toBe(true);
        expect(got.start % 2 ** (32 - prefix)).toBe(0);
      }),
    );
  });
});
