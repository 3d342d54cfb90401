import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalQuantity, exactQuantity, isIntegerQuantity, quantityValue, sameQuantity } from "./quantity.js";

const SUFFIXES = ["", "n", "u", "m", "k", "M", "G", "T", "P", "Ki", "Mi", "Gi", "Ti", "Pi"];

/** Quantities as people write them: signs, fractions, decimal and binary suffixes, exponents. */
const quantity = fc
  .record({
    sign: fc.constantFrom("", "", "+", "-"),
    whole: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
    tail: fc.oneof(
      fc.constantFrom(...SUFFIXES),
      fc.integer({ min: -6, max: 12 }).map((e) => `e${e}`),
    ),
  })
  .map(({ sign, whole, fraction, tail }) => `${sign}${whole}${fraction === undefined ? "" : `.${fraction}`}${tail}`);

/** What the API server writes: an integer mantissa and a suffix or exponent that is a multiple of three. */
const CANONICAL = /^-?(0|[1-9][0-9]*)((n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|e-?[1-9][0-9]*)?$/;

describe("quantity canonicalisation", () => {
  it("is idempotent", () => {
    fc.assert(fc.property(quantity, (q) => canonicalQuantity(canonicalQuantity(q)) === canonicalQuantity(q)));
  });

  it("preserves the exact value", () => {
    fc.assert(
      fc.property(quantity, (q) => {
        expect(exactQuantity(canonicalQuantity(q))).toEqual(exactQuantity(q));
        expect(sameQuantity(q, canonicalQuantity(q))).toBe(true);
      }),
    );
  });

  it("writes the canonical form: an integer mantissa, no fraction", () => {
    fc.assert(fc.property(quantity, (q) => CANONICAL.test(canonicalQuantity(q))));
  });

  it("keeps binary quantities binary and compares them with their decimal value", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 20 }), fc.constantFrom("Ki", "Mi", "Gi"), (n, suffix) => {
        const q = `${n}${suffix}`;
        const bytes = BigInt(n) * 1024n ** BigInt(["Ki", "Mi", "Gi"].indexOf(suffix) + 1);
        expect(canonicalQuantity(q)).toMatch(/i$/);
        expect(sameQuantity(q, String(bytes))).toBe(true);
        expect(quantityValue(q)).toBe(Number(bytes));
      }),
    );
  });

  it("tells different values apart", () => {
    fc.assert(
      fc.property(quantity, quantity, (a, b) => {
        fc.pre(quantityValue(a) !== quantityValue(b));
        expect(sameQuantity(a, b)).toBe(false);
      }),
    );
  });

  it("accepts in a quota exactly the integer quantities, and they stay integer once canonical", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.constantFrom("", "m", "k", "M", "G", "Ki", "Mi", "Gi", "Ti"), (n, suffix) => {
        expect(isIntegerQuantity(`${n}${suffix}`)).toBe(true);
        expect(isIntegerQuantity(`${n}.5${suffix}`)).toBe(false);
      }),
    );
  });
});
