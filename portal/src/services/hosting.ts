import { z } from "zod";

/** The environment variable naming the highest protection level this platform hosts (1–4). */
export const MAX_LEVEL_VARIABLE = "ZHENGYUN_MAX_LEVEL";

const maxLevel = z.coerce.number().int().min(1).max(4).default(4);

/**
 * The platform's own maximum hosted level: a cloud assessed at level 3 hosts no level 4 system
 * (GB/T 22239-2019 cloud extension). Defaults to 4; an invalid value is a configuration error.
 */
export function maxHostedLevel(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_LEVEL_VARIABLE];
  const parsed = maxLevel.safeParse(raw === "" ? undefined : raw);
  if (!parsed.success) throw new Error(`invalid portal configuration: ${MAX_LEVEL_VARIABLE} must be a protection level 1–4, not “${raw}”`);
  return parsed.data;
}
