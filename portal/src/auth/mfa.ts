import { appendAudit } from "@zhengyun/db/audit/append";
import type { AuditAction } from "@zhengyun/db/audit/vocabulary";
import type { Db } from "@zhengyun/db/client";
import { AppError } from "@zhengyun/db/errors";
import { recoveryCodes, sessions, signInChallenges, users } from "@zhengyun/db/schema";
import { and, eq, isNull } from "drizzle-orm";
import QRCode from "qrcode";
import type { AuthPolicy } from "./policy.js";
import { seal, unseal } from "./secrets.js";
import type { Challenge } from "./sign-in.js";
import { acceptTotp, hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryCodeMatches, totpFor } from "./totp.js";

/** A sealed secret opened, or a clear refusal when the key it was sealed with is gone. */
function openSecret(policy: AuthPolicy, sealed: string, userId: string): string {
  try {
    return unseal(policy.secretKey, sealed, userId);
  } catch {
    throw new AppError(
      "INVALID_STATE",
      "动态口令密钥无法读取（服务端密钥已更换）, 请联系安全管理员重置 / the authenticator secret cannot be read (the server key changed); ask the security officer to reset it",
    );
  }
}

const WRONG_CODE = "动态口令或恢复码错误 / wrong authentication code";

/**
 * Checks the second factor of a sign-in in progress: a TOTP code (each good once) or an unused
 * recovery code (then spent). A wrong code counts as a failed sign-in toward the lockout, like a
 * wrong password; every attempt is audited. The outcome commits before it is reported.
 */
export async function verifySecondFactor(
  db: Db,
  policy: AuthPolicy,
  challenge: Challenge,
  code: string,
  meta: { correlationId: string; ip?: string | undefined; now: Date },
): Promise<void> {
  const now = meta.now;
  const outcome = await db.transaction(async (tx): Promise<AppError | null> => {
    const [user] = await tx
      .select({
        totpSecret: users.totpSecret,
        totpLastStep: users.totpLastStep,
        failedLogins: users.failedLogins,
        lockedUntil: users.lockedUntil,
      })
      .from(users)
      .where(eq(users.id, challenge.userId))
      .for("update");
    const record = (action: AuditAction, after: unknown) =>
      appendAudit(tx, {
        actorId: challenge.userId,
        actorName: challenge.username,
        actorRole: null,
        action,
        targetType: "user",
        targetId: challenge.userId,
        after,
        correlationId: meta.correlationId,
        at: now,
      });
    if (!user?.totpSecret) return new AppError("INVALID_STATE", "no second factor enrolled");
    if (user.lockedUntil && user.lockedUntil > now) {
      await record("auth.login_refused_locked", { lockedUntil: user.lockedUntil, step: "second_factor" });
      return new AppError("ACCOUNT_LOCKED", `账户已锁定 / account locked until ${user.lockedUntil.toISOString()}`, {
        lockedUntil: user.lockedUntil.toISOString(),
      });
    }
    let method: "totp" | "recovery_code" | null = null;
    if (/^\d{6}$/.test(code.trim())) {
      const step = acceptTotp(openSecret(policy, user.totpSecret, challenge.userId), code.trim(), user.totpLastStep, now);
      if (step !== null) {
        await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, challenge.userId));
        method = "totp";
      }
    } else if (looksLikeRecoveryCode(code)) {
      const unused = await tx
        .select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, challenge.userId), isNull(recoveryCodes.usedAt)));
      const match = unused.find((c) => recoveryCodeMatches(c.codeHash, code));
      if (match) {
        const spent = await tx
          .update(recoveryCodes)
          .set({ usedAt: now })
          .where(and(eq(recoveryCodes.id, match.id), isNull(recoveryCodes.usedAt)))
          .returning({ id: recoveryCodes.id });
        if (spent.length) method = "recovery_code";
      }
    }
    if (!method) {
      const failedLogins = (user.lockedUntil ? 0 : user.failedLogins) + 1;
      const lockedUntil = failedLogins >= policy.maxFailedLogins ? new Date(now.getTime() + policy.lockoutMs) : null;
      await tx
        .update(users)
        .set({ failedLogins, lockedUntil, lastFailedLoginAt: now, lastFailedLoginIp: meta.ip ?? null })
        .where(eq(users.id, challenge.userId));
      await record("auth.second_factor_failed", { failedLogins, lockedUntil });
      if (lockedUntil) {
        await tx.delete(signInChallenges).where(eq(signInChallenges.userId, challenge.userId));
        return new AppError("ACCOUNT_LOCKED", `连续登录失败, 账户已锁定 / too many failures, account locked until ${lockedUntil.toISOString()}`, {
          lockedUntil: lockedUntil.toISOString(),
        });
      }
      return new AppError("UNAUTHENTICATED", WRONG_CODE, { field: "code" });
    }
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, challenge.userId));
    await tx.update(signInChallenges).set({ secondFactorDone: true }).where(eq(signInChallenges.tokenHash, challenge.tokenHash));
    await record("auth.second_factor", { method });
    return null;
  });
  if (outcome) throw outcome;
}

/** A new secret to enrol, kept pending (sealed) until a first code confirms it; shown this once. */
export async function startEnrolment(db: Db, policy: AuthPolicy, who: { userId: string; username: string }) {
  const [user] = await db.select({ totpEnabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, who.userId));
  if (!user) throw new AppError("UNAUTHENTICATED", "请重新登录 / please sign in again");
  if (user.totpEnabledAt)
    throw new AppError("CONFLICT", "已绑定动态口令; 如需更换, 请联系安全管理员重置 / a second factor is already enrolled; the security officer can reset it");
  const secret = newTotpSecret();
  await db
    .update(users)
    .set({ totpPendingSecret: seal(policy.secretKey, secret, who.userId) })
    .where(eq(users.id, who.userId));
  const uri = totpFor(secret, who.username).toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return { secret, uri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString("base64")}` };
}

/**
 * Confirms enrolment with a first code from the authenticator: the pending secret becomes the
 * account's, ten recovery codes replace any earlier ones, and they are returned this once. Within
 * a sign-in, the confirmation is the second factor of that sign-in.
 */
export async function confirmEnrolment(
  db: Db,
  policy: AuthPolicy,
  who: { userId: string; username: string; challengeTokenHash?: string },
  code: string,
  meta: { correlationId: string; now: Date },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ pending: users.totpPendingSecret, totpEnabledAt: users.totpEnabledAt })
      .from(users)
      .where(eq(users.id, who.userId))
      .for("update");
    if (user?.totpEnabledAt) throw new AppError("CONFLICT", "已绑定动态口令 / a second factor is already enrolled");
    if (!user?.pending) throw new AppError("INVALID_STATE", "请先获取二维码 / start the enrolment first");
    const secret = openSecret(policy, user.pending, who.userId);
    const step = acceptTotp(secret, code.trim(), null, meta.now);
    if (step === null) throw new AppError("INVALID_INPUT", "code: 动态口令错误, 请核对手机时间 / wrong code; check the phone's clock", { field: "code" });
    await tx
      .update(users)
      .set({ totpSecret: user.pending, totpPendingSecret: null, totpEnabledAt: meta.now, totpLastStep: step })
      .where(eq(users.id, who.userId));
    const codes = newRecoveryCodes();
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, who.userId));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: who.userId, codeHash: hashRecoveryCode(c) })));
    if (who.challengeTokenHash) await tx.update(signInChallenges).set({ secondFactorDone: true }).where(eq(signInChallenges.tokenHash, who.challengeTokenHash));
    await appendAudit(tx, {
      actorId: who.userId,
      actorName: who.username,
      actorRole: null,
      action: "auth.totp_enrolled",
      targetType: "user",
      targetId: who.userId,
      after: { recoveryCodes: codes.length },
      correlationId: meta.correlationId,
      at: meta.now,
    });
    return codes;
  });
}

/** Sessions of an account end when its second factor is reset: the next sign-in enrols afresh. */
export async function clearSecondFactor(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], userId: string) {
  await tx.update(users).set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, userId));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
}
