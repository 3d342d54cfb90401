import type { ControlId } from "./control.js";
import type { Exemption } from "./tenant.js";

/** Seconds since the epoch, the form an exemption label carries. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Exemptions still in force at `now` (an exemption expiring exactly at `now` has lapsed). */
export function activeExemptions(exemptions: readonly Exemption[], now: Date): Exemption[] {
  return exemptions.filter((e) => e.expiresAt.getTime() > now.getTime());
}

/**
 * The active exemption per control; when several were granted for the same
 * control the one that lasts longest wins.
 */
export function exemptionsByControl(exemptions: readonly Exemption[], now: Date): Map<ControlId, Exemption> {
  const byControl = new Map<ControlId, Exemption>();
  for (const exemption of activeExemptions(exemptions, now)) {
    const current = byControl.get(exemption.control);
    if (!current || current.expiresAt < exemption.expiresAt) byControl.set(exemption.control, exemption);
  }
  return byControl;
}

/**
 * When the controller must reconcile this system again because an exemption
 * lapses: the earliest expiry after `now`, or undefined when none is pending.
 */
export function nextExemptionExpiry(exemptions: readonly Exemption[], now: Date): Date | undefined {
  const pending = [...exemptionsByControl(exemptions, now).values()].map((e) => e.expiresAt.getTime());
  return pending.length === 0 ? undefined : new Date(Math.min(...pending));
}
