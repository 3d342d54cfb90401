import { describe, expect, it } from "vitest";
import { activeExemptions, epochSeconds, nextExemptionExpiry } from "./exemption.js";
import type { Exemption } from "./tenant.js";

const now = new Date("2025-06-01T00:00:00Z");
const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
const e = (control: Exemption["control"], hours: number): Exemption => ({ control, expiresAt: at(hours), grantedBy: "o", reason: "r" });

describe("exemptions", () => {
  it("are active until they expire", () => {
    expect(activeExemptions([e("psa", 1), e("psa", -1), e("storage-class", 0)], now).map((x) => x.expiresAt)).toEqual([at(1)]);
  });

  it("schedule the next reconcile at the earliest pending expiry", () => {
    expect(nextExemptionExpiry([e("psa", 5), e("storage-class", 2), e("registry-allowlist", -3)], now)).toEqual(at(2));
    expect(nextExemptionExpiry([e("psa", -1)], now)).toBeUndefined();
  });

  it("are labelled in epoch seconds", () => {
    expect(epochSeconds(new Date("2025-06-01T00:00:01.999Z"))).toBe(1748736001);
  });
});
