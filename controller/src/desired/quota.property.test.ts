import type { Resource } from "@zhengyun/db/schema";
import { canonicalQuantity, quantityValue } from "@zhengyun/policies";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MIN_PODS, nothingGranted, objectCounts, PODS_PER_VCPU, tenantQuota } from "./quota.js";

const RESOURCES: Resource[] = ["vcpu", "memory_gib", "storage_standard_gib", "storage_ssd_gib", "storage_encrypted_gib"];
const amount = fc.oneof(fc.integer({ min: -4, max: 4_096 }), fc.double({ min: -2, max: 512, noNaN: true }));
const granted = fc.dictionary(fc.constantFrom(...RESOURCES), amount, { maxKeys: RESOURCES.length }) as fc.Arbitrary<Partial<Record<Resource, number>>>;
const whole = (n: number | undefined) => Math.max(0, Math.floor(n ?? 0));
const GIB = 2 ** 30;

describe("quota arithmetic", () => {
  it("writes quantities in the API server's canonical form, worth exactly the whole units granted", () => {
    fc.assert(
      fc.property(granted, (g) => {
        const q = tenantQuota(g);
        for (const value of [q.cpu, q.memory, ...Object.values(q.storage)]) expect(canonicalQuantity(value)).toBe(value);
        expect(quantityValue(q.cpu)).toBe(whole(g.vcpu));
        expect(quantityValue(q.memory)).toBe(whole(g.memory_gib) * GIB);
        expect(quantityValue(q.storage.ssd ?? "0")).toBe(whole(g.storage_ssd_gib) * GIB);
      }),
    );
  });

  it("grows with the grant: more of any resource never means less quota or fewer objects", () => {
    fc.assert(
      fc.property(granted, fc.constantFrom(...RESOURCES), fc.integer({ min: 1, max: 64 }), (g, resource, more) => {
        const bigger = { ...g, [resource]: (g[resource] ?? 0) + more };
        const [a, b] = [tenantQuota(g), tenantQuota(bigger)];
        expect(quantityValue(b.cpu)).toBeGreaterThanOrEqual(quantityValue(a.cpu));
        expect(quantityValue(b.memory)).toBeGreaterThanOrEqual(quantityValue(a.memory));
        expect(b.pods).toBeGreaterThanOrEqual(a.pods);
        const [ca, cb] = [objectCounts(g), objectCounts(bigger)];
        for (const key of Object.keys(ca)) expect(Number(cb[key])).toBeGreaterThanOrEqual(Number(ca[key]));
      }),
    );
  });

  it("allows at least the minimum of pods, and ten per vCPU", () => {
    fc.assert(fc.property(granted, (g) => tenantQuota(g).pods === Math.max(MIN_PODS, whole(g.vcpu) * PODS_PER_VCPU)));
  });

  it("releases exactly when nothing is granted", () => {
    fc.assert(fc.property(granted, (g) => nothingGranted(g) === RESOURCES.every((r) => (g[r] ?? 0) <= 0)));
  });
});
