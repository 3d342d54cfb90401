/** The request rules of DESIGN.md §4 that the wizard applies before the server does. */
import { parseEgressHost } from "@zhengyun/policies/egress-allowlist";
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

/** Host names, wildcard domains or public IPv4 addresses/CIDRs, exactly as the server's schema accepts them. */
export function isEgressHost(value: string): boolean {
  return value.length <= 253 && parseEgressHost(value).ok;
}

/** Why an allow-list host is refused, in the UI's language; null when it is accepted. */
export function egressHostProblem(value: string, language: string): string | null {
  const parsed = parseEgressHost(value);
  if (parsed.ok) return value.length <= 253 ? null : language.startsWith("zh") ? "域名过长" : "host name too long";
  return language.startsWith("zh") ? parsed.error.zh : parsed.error.en;
}
