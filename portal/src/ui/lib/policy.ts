/** The request rules of DESIGN.md §4 that the wizard applies before the server does. */
import type { StorageResource } from "./resources.js";

export type Zone = "internal" | "external";

/** Level 3 and 4 systems may only use encrypted storage. */
export function allowedStorage(level: number): StorageResource[] {
  return level >= 3 ? ["storage_encrypted_gib"] : ["storage_standard_gib", "storage_ssd_gib", "storage_encrypted_gib"];
}

/** Why a system may not have an internet allow-list, or null when it may. */
export function egressBlockedBecause(zone: Zone, level: number): "internal" | "level4" | null {
  if (zone !== "external") return "internal";
  if (level >= 4) return "level4";
  return null;
}

/** Host names or IPv4 addresses/CIDRs, as the server's schema accepts them. */
const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/i;

export function isEgressHost(value: string): boolean {
  const v = value.trim();
  return v.length > 0 && v.length <= 253 && HOST.test(v);
}
