import { add, delta, fromRows, type Quantities, shortfalls } from "@zhengyun/db/quantities";
import { RESOURCES } from "@zhengyun/db/schema/enums";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const quantities = fc.dictionary(fc.constantFrom(...RESOURCES), fc.integer({ min: -1_000, max: 1_000 }), {
  maxKeys: RESOURCES.length,
}) as fc.Arbitrary<Quantities>;
/** The same amounts, zeros left out (how every operation returns them). */
const normal = (q: Quantities) => add(q);

describe("quota arithmetic laws", () => {
  it("adds commutatively and associatively, with nothing as the identity", () => {
    fc.assert(
      fc.property(quantities, quantities, quantities, (a, b, c) => {
        expect(add(a, b)).toEqual(add(b, a));
        expect(add(add(a, b), c)).toEqual(add(a, add(b, c)));
        expect(add(a, {})).toEqual(normal(a));
      }),
    );
  });

  it("takes the difference that, added back, gives the target", () => {
    fc.assert(
      fc.property(quantities, quantities, (target, current) => {
        expect(add(current, delta(target, current))).toEqual(normal(target));
        expect(delta(target, target)).toEqual({});
        expect(add(delta(target, current), delta(current, target))).toEqual({});
      }),
    );
  });

  it("sums rows as adding their amounts", () => {
    const rows = fc.array(fc.record({ resource: fc.constantFrom(...RESOURCES), amount: fc.integer({ min: -50, max: 50 }) }), { maxLength: 12 });
    fc.assert(
      fc.property(rows, (rs) => {
        expect(fromRows(rs)).toEqual(add(...rs.map((r) => ({ [r.resource]: r.amount }))));
      }),
    );
  });

  it("refuses only growth beyond the limit, and never a shrink", () => {
    fc.assert(
      fc.property(quantities, quantities, quantities, (limit, held, growth) => {
        const refused = shortfalls(limit, held, growth);
        for (const r of RESOURCES) {
          const g = growth[r] ?? 0;
          const over = g > 0 && (held[r] ?? 0) + g > (limit[r] ?? 0);
          expect(refused.some((s) => s.resource === r)).toBe(over);
        }
      }),
    );
  });

  it("refuses no more once the limit is raised", () => {
    fc.assert(
      fc.property(quantities, quantities, quantities, quantities, (limit, raise, held, growth) => {
        const raised = add(limit, Object.fromEntries(Object.entries(raise).map(([r, n]) => [r, Math.abs(n ?? 0)])));
        const before = new Set(shortfalls(limit, held, growth).map((s) => s.resource));
        for (const s of shortfalls(raised, held, growth)) expect(before.has(s.resource)).toBe(true);
      }),
    );
  });
});
