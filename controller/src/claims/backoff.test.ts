import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

const policy = { baseMs: 1_000, capMs: 60_000 };

describe("backoff", () => {
  it("doubles per failure from the base", () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, mid))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it("never exceeds the cap, however many failures", () => {
    for (const n of [7, 10, 40, 1_000]) {
      expect(backoffDelay(n, policy, () => 1)).toBeLessThanOrEqual(60_000);
      expect(backoffDelay(n, policy, () => 0)).toBeGreaterThanOrEqual(48_000);
    }
  });

  it("spreads retries by ±20% and waits nothing before the first attempt", () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(3_200);
    expect(backoffDelay(3, policy, () => 1)).toBe(4_800);
    expect(backoffDelay(0, policy)).toBe(0);
  });
});
