// Capped exponential backoff with jitter. Pure (the random source is a parameter).

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Delay before attempt `attempts + 1` after `attempts` consecutive failures: base·2^(attempts−1),
 * capped, then spread by ±20% so replicas that failed together do not retry together.
 */
export function backoffDelay(attempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (attempts <= 0) return 0;
  const exponential = policy.baseMs * 2 ** Math.min(attempts - 1, 30);
  const capped = Math.min(policy.capMs, exponential);
  const jitter = 0.8 + 0.4 * random();
  return Math.min(policy.capMs, Math.round(capped * jitter));
}
