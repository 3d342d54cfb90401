/**
 * Second factors for tests: enrols an account with a known TOTP secret (sealed as the server
 * seals it) and produces codes the server accepts, as a person's authenticator app would.
 */

import type { Database } from "@zhengyun/db/client";
import { users } from "@zhengyun/db/schema";
import { eq } from "drizzle-orm";
import { type AuthPolicy, DEFAULT_AUTH_POLICY } from "../../src/auth/policy.js";
import { seal } from "../../src/auth/secrets.js";
import { newTotpSecret, TOTP_PERIOD_SECONDS, timeStep, totpFor } from "../../src/auth/totp.js";

/** Enrols the account with a fresh secret and returns it (base32). */
export async function enrolTotp(db: Database, userId: string, policy: AuthPolicy = DEFAULT_AUTH_POLICY): Promise<string> {
  const secret = newTotpSecret();
  await db.db
    .update(users)
    .set({ totpSecret: seal(policy.secretKey, secret, userId), totpEnabledAt: new Date(), totpLastStep: null })
    .where(eq(users.id, userId));
  return secret;
}

/**
 * A code the server will accept now: for the current time step, or the next one (within the
 * server's one-step window) when the current was already used; waits for the clock otherwise.
 */
export async function totpCode(db: Database, userId: string, secret: string): Promise<string> {
  for (;;) {
    const [row] = await db.db.select({ lastStep: users.totpLastStep }).from(users).where(eq(users.id, userId));
    const now = Date.now();
    const step = Math.max(timeStep(new Date(now)), (row?.lastStep ?? 0) + 1);
    if (step <= timeStep(new Date(now)) + 1) return totpFor(secret, "test").generate({ timestamp: step * TOTP_PERIOD_SECONDS * 1000 });
    await new Promise((r) => setTimeout(r, (step - 1) * TOTP_PERIOD_SECONDS * 1000 - now + 50));
  }
}
