import { appendAudit } from "@zhengyun/db/audit/append";
import type { AuditAction } from "@zhengyun/db/audit/vocabulary";
import type { Db } from "@zhengyun/db/client";
import { AppError } from "@zhengyun/db/errors";
import { users } from "@zhengyun/db/schema";
import { eq } from "drizzle-orm";
import { verifyPassword } from "./passwords.js";
import type { AuthPolicy } from "./policy.js";
import { clearThrottle, lockThrottle, setThrottle, throttleKey } from "./throttle.js";

const BAD_CREDENTIALS = "用户名或密码错误 / wrong username or password";

/**
 * Checks a local password. Repeated failures for one login name from one source address lock that
 * name for that source for a while (so an attacker cannot lock a named administrator out from
 * elsewhere); unknown names, disabled accounts and wrong passwords count and answer alike. Every
 * attempt, good or bad, is audited with the login name tried.
 */
export async function loginWithPassword(
  db: Db,
  policy: AuthPolicy,
  input: { username: string; password: string },
  meta: { correlationId: string; now?: Date; source?: string | undefined; ip?: string | undefined },
) {
  const now = meta.now ?? new Date();
  const key = throttleKey(input.username, meta.source);
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  // Unknown users are checked against a dummy hash, so the time taken does not tell them apart.
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  // The failure is committed (counter, lock, audit entry) before it is reported, so it is never rolled back.
  const outcome = await db.transaction(async (tx): Promise<{ userId: string } | AppError> => {
    const record = (action: AuditAction, after: unknown) =>
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
    // Decide on the counter as it is now, under its lock: concurrent attempts queue here, so no
    // more than maxFailedLogins guesses from one source are judged before the lock holds.
    const throttle = await lockThrottle(tx, key);
    if (throttle.lockedUntil && throttle.lockedUntil > now) {
      await record("auth.login_refused_locked", { lockedUntil: throttle.lockedUntil, source: key.source });
      return new AppError("ACCOUNT_LOCKED", `账户已锁定 / account locked until ${throttle.lockedUntil.toISOString()}`, {
        lockedUntil: throttle.lockedUntil.toISOString(),
      });
    }
    const [current] = user ? await tx.select({ disabled: users.disabled }).from(users).where(eq(users.id, user.id)) : [];
    if (!user || !current || current.disabled || !ok) {
      // A lock that has passed starts the count afresh.
      const failedLogins = (throttle.lockedUntil ? 0 : throttle.failures) + 1;
      const lockedUntil = failedLogins >= policy.maxFailedLogins ? new Date(now.getTime() + policy.lockoutMs) : null;
      await setThrottle(tx, key, { failures: failedLogins, lockedUntil }, now);
      const reason = !user || !current ? { reason: "unknown user" } : current.disabled ? { reason: "disabled" } : {};
      await record("auth.login_failed", { ...reason, failedLogins, lockedUntil, source: key.source });
      // The sign-in notice shows the account's last failure, wherever it came from.
      if (user)
        await tx
          .update(users)
          .set({ lastFailedLoginAt: now, lastFailedLoginIp: meta.ip ?? null })
          .where(eq(users.id, user.id));
      if (lockedUntil)
        return new AppError("ACCOUNT_LOCKED", `连续登录失败, 账户已锁定 / too many failures, account locked until ${lockedUntil.toISOString()}`, {
          lockedUntil: lockedUntil.toISOString(),
        });
      return new AppError("UNAUTHENTICATED", BAD_CREDENTIALS);
    }
    await clearThrottle(tx, key);
    await record("auth.login", { method: "password" });
    return { userId: user.id };
  });
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}
