import type { Condition } from "@zhengyun/db/schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { progressing, REASONS, ready, released, setCondition, stalled } from "./conditions.js";

const TYPES = ["Ready", "Reconciling", "Stalled"] as const;
const status = fc.constantFrom<Condition["status"]>("True", "False", "Unknown");
const at = fc.integer({ min: 0, max: 10_000 }).map((m) => new Date(Date.UTC(2026, 0, 1, 0, m)));
const next = fc.record({ type: fc.constantFrom(...TYPES), status, reason: fc.constantFrom(...Object.values(REASONS)), message: fc.string({ maxLength: 8 }) });
/** Any list of conditions a row may hold, one per type. */
const conditions = fc
  .uniqueArray(fc.record({ type: fc.constantFrom(...TYPES), status, reason: fc.string({ maxLength: 6 }), message: fc.string({ maxLength: 6 }), at }), {
    selector: (c) => c.type,
    maxLength: 3,
  })
  .map((cs) => cs.map(({ at, ...c }): Condition => ({ ...c, lastTransitionTime: at.toISOString() })));

describe("condition setting", () => {
  it("is idempotent: setting the same condition again, later, changes nothing", () => {
    fc.assert(
      fc.property(conditions, next, at, at, (cs, n, t0, t1) => {
        const once = setCondition(cs, n, t0);
        expect(setCondition(once, n, t1)).toEqual(once);
      }),
    );
  });

  it("keeps one condition per type, in a fixed order, once any is set", () => {
    fc.assert(
      fc.property(conditions, fc.array(fc.tuple(next, at), { minLength: 1, maxLength: 6 }), (cs, steps) => {
        const out = steps.reduce((acc, [n, t]) => setCondition(acc, n, t), cs);
        const types = out.map((c) => c.type);
        expect(types).toEqual(TYPES.filter((t) => types.includes(t)));
      }),
    );
  });

  it("moves lastTransitionTime exactly when the status changes", () => {
    fc.assert(
      fc.property(conditions, next, at, (cs, n, t) => {
        const before = cs.find((c) => c.type === n.type);
        const after = setCondition(cs, n, t).find((c) => c.type === n.type);
        const changed = !before || before.status !== n.status;
        expect(after?.lastTransitionTime).toBe(changed ? t.toISOString() : before?.lastTransitionTime);
        expect(after).toMatchObject(n);
      }),
    );
  });

  it("gives the same status when a phase is recorded twice", () => {
    const phases = [
      (cs: Condition[], t: Date) => progressing(cs, REASONS.applying, "applying", t),
      (cs: Condition[], t: Date) => progressing(cs, REASONS.healingDrift, "healing", t, true),
      (cs: Condition[], t: Date) => ready(cs, 3, t),
      (cs: Condition[], t: Date) => released(cs, t),
      (cs: Condition[], t: Date) => stalled(cs, REASONS.applyFailed, "boom", undefined, t),
    ];
    fc.assert(
      fc.property(conditions, fc.constantFrom(...phases), at, at, (cs, phase, t0, t1) => {
        const once = phase(cs, t0);
        expect(phase(once.conditions, t1)).toEqual(once);
        expect(once.conditions.map((c) => c.type)).toEqual([...TYPES]);
      }),
    );
  });
});
