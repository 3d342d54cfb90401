import { eq } from "drizzle-orm";
import { appendAudit } from "../audit/append.js";
import type { Db } from "../db/client.js";
import { users } from "../db/schema/index.js";
import { AppError } from "../errors/app-error.js";
import { verifyPassword } from "./passwords.js";
import type { AuthPolicy } from "./policy.js";

const BAD_CREDENTIALS = "用户名或密码错误 / wrong username or password";

/**
 * Checks a local password. Repeated failures lock the account for a while; every attempt, good
 * or bad, is audited with the login name tried.
 */
export async function loginWithPassword(
  db: Db,
  policy: AuthPolicy,
  input: { username: string; password: string },
  meta: { correlationId: string; now?: Date; ip?: string | undefined },
) {
  const now = meta.now ?? new Date();
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  // The failure is committed (counter, lock, audit entry) before it is reported, so it is never rolled back.
  const outcome = await db.transaction(async (tx): Promise<{ userId: string } | AppError> => {
    const record = (action: string, after: unknown) =>
      appendAudit(tx, {
        actorId: user?.id ?? null,
        actorName: input.username,
        actorRole: null,
        action,
        targetType: "user",
        targetId: user?.id ?? input.username,
        after,
        correlationId: meta.correlationId,
        at: now,
      });
    // Decide on the row as it is now, under its lock: concurrent attempts queue here, so no more
    // than maxFailedLogins guesses are judged before the lock holds.
    const [current] = user
      ? await tx
          .select({ disabled: users.disabled, failedLogins: users.failedLogins, lockedUntil: users.lockedUntil })
          .from(users)
          .where(eq(users.id, user.id))
          .for("update")
      : [];
    if (!user || !current || current.disabled) {
      await record("auth.login_failed", { reason: user ? "disabled" : "unknown user" });
      return new AppError("UNAUTHENTICATED", BAD_CREDENTIALS);
    }
    if (current.lockedUntil && current.lockedUntil > now) {
      await record("auth.login_refused_locked", { lockedUntil: current.lockedUntil });
      return new AppError("ACCOUNT_LOCKED", `账户已锁定 / account locked until ${current.lockedUntil.toISOString()}`, {
        lockedUntil: current.lockedUntil.toISOString(),
      });
    }
    if (!ok) {
      // A lock that has passed starts the count afresh.
      const failedLogins = (current.lockedUntil ? 0 : current.failedLogins) + 1;
      const lockedUntil = failedLogins >= policy.maxFailedLogins ? new Date(now.getTime() + policy.lockoutMs) : null;
      await tx
        .update(users)
        .set({ failedLogins, lockedUntil, lastFailedLoginAt: now, lastFailedLoginIp: meta.ip ?? null })
        .where(eq(users.id, user.id));
      await record("auth.login_failed", { failedLogins, lockedUntil });
      if (lockedUntil)
        return new AppError("ACCOUNT_LOCKED", `连续登录失败, 账户已锁定 / too many failures, account locked until ${lockedUntil.toISOString()}`, {
          lockedUntil: lockedUntil.toISOString(),
        });
      return new AppError("UNAUTHENTICATED", BAD_CREDENTIALS);
    }
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
    await record("auth.login", { method: "password" });
    return { userId: user.id };
  });
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}
