/** MLPS 2.0 protection levels (等级保护级别). Level 5 systems are not hosted on the shared cloud. */
export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];

/** The two government network zones: 政务内网 (internal) and 政务外网 (external). */
export const ZONES = ["internal", "external"] as const;
export type Zone = (typeof ZONES)[number];

export const ZONE_TITLES: Readonly<Record<Zone, { zh: string; en: string }>> = {
  internal: { zh: "政务内网", en: "internal zone" },
  external: { zh: "政务外网", en: "external zone" },
};

export function isLevel(value: unknown): value is Level {
  return typeof value === "number" && (LEVELS as readonly number[]).includes(value);
}
