import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { users } from "../db/schema/index.js";
import { appendAudit } from "../audit/append.js";
import { AppError } from "../errors/app-error.js";
import { verifyPassword } from "./passwords.js";
import type { AuthPolicy } from "./policy.js";

const BAD_CREDENTIALS = "用户名或密码错误 / wrong username or password";

/**
 * Checks a local password. Repeated failures lock the account for a while; every attempt, good
 * or bad, is audited with the login name tried.
 */
export async function loginWithPassword(db: Db, policy: AuthPolicy, input: { username: string; password: string }, meta: { correlationId: string; now?: Date }) {
  const now = meta.now ?? new Date();
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  // The failure is committed (counter, lock, audit entry) before it is reported, so it is never rolled back.
  const outcome = await db.transaction(async (tx): Promise<{ userId: string } | AppError> => {
    const record = (action: string, after: unknown) =>
      appendAudit(tx, { actorId: user?.id ?? null, actorName: input.username, actorRole: null, action, targetType: "user", targetId: user?.id ?? input.username, after, correlationId: meta.correlationId, at: now });
    if (!user || user.disabled) {
      await record("auth.login_failed", { reason: user ? "disabled" : "unknown user" });
      return new AppError("UNAUTHENTICATED", BAD_CREDENTIALS);
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      await record("auth.login_refused_locked", { lockedUntil: user.lockedUntil });
      return new AppError("ACCOUNT_LOCKED", `账户已锁定 / account locked until ${user.lockedUntil.toISOString()}`, { lockedUntil: user.lockedUntil.toISOString() });
    }
    if (!ok) {
      const [after] = await tx
        .update(users)
        .set({
          failedLogins: sql`${users.failedLogins} + 1`,
          lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${policy.maxFailedLogins} then ${new Date(now.getTime() + policy.lockoutMs).toISOString()}::timestamptz else null end`,
        })
        .where(eq(users.id, user.id))
        .returning({ failedLogins: users.failedLogins, lockedUntil: users.lockedUntil });
      await record("auth.login_failed", { failedLogins: after?.failedLogins, lockedUntil: after?.lockedUntil });
      if (after?.lockedUntil) return new AppError("ACCOUNT_LOCKED", `连续登录失败, 账户已锁定 / too many failures, account locked until ${after.lockedUntil.toISOString()}`);
      return new AppError("UNAUTHENTICATED", BAD_CREDENTIALS);
    }
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
    await record("auth.login", { method: "password" });
    return { userId: user.id };
  });
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}
