import { randomBytes } from "node:crypto";
import type { Db } from "@zhengyun/db/client";
import { AppError } from "@zhengyun/db/errors";
import { roleAssignments, signInChallenges, users } from "@zhengyun/db/schema";
import type { Role } from "@zhengyun/db/schema/enums";
import { and, eq, gt, lt } from "drizzle-orm";
import { passwordExpired } from "./password-rules.js";
import type { AuthPolicy } from "./policy.js";
import { createSession, tokenHash } from "./sessions.js";

/** The roles that run the platform; they always sign in with two factors. */
export const PLATFORM_ROLES: readonly Role[] = ["ops", "security", "auditor", "sysadmin"];

export type SignInMethod = "password" | "oidc";
/** What the person must do next before a session is issued, or "done" when it was. */
export type NextStep = "done" | "totp" | "change_password" | "enrol_totp";

export const mfaRequired = (roles: readonly Role[], policy: AuthPolicy) => policy.mfa === "all" || roles.some((r) => PLATFORM_ROLES.includes(r));

interface AccountState {
  totpEnabledAt: Date | null;
  mustChangePassword: boolean;
  passwordChangedAt: Date;
}

/**
 * The order of a sign-in: the second factor of an enrolled account first (so nobody changes a
 * password on the strength of the password alone), then a forced password change (temporary or
 * expired password; password sign-ins only), then enrolment where a second factor is required.
 */
export function nextStep(
  account: AccountState,
  roles: readonly Role[],
  challenge: { method: SignInMethod; secondFactorDone: boolean },
  policy: AuthPolicy,
  now: Date,
): NextStep {
  if (account.totpEnabledAt && !challenge.secondFactorDone) return "totp";
  if (challenge.method === "password" && (account.mustChangePassword || passwordExpired(account.passwordChangedAt, policy.password, now)))
    return "change_password";
  if (!account.totpEnabledAt && !challenge.secondFactorDone && mfaRequired(roles, policy)) return "enrol_totp";
  return "done";
}

/** True when the identity provider reports a second factor the configuration accepts (`amr`, or `acr`). */
export function providerDidMfa(idToken: object, policy: AuthPolicy): boolean {
  if (!policy.mfaAmr.length) return false;
  const claims = idToken as { amr?: unknown; acr?: unknown };
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [];
  return amr.some((v) => policy.mfaAmr.includes(v)) || (typeof claims.acr === "string" && policy.mfaAmr.includes(claims.acr));
}

export interface SignInMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
  now: Date;
}

/** Either a session (sign-in complete) or a challenge token for the next step. */
export type SignInResult = { next: "done"; sessionToken: string } | { next: Exclude<NextStep, "done">; challengeToken: string };

async function accountOf(db: Db, userId: string) {
  const [account] = await db
    .select({ totpEnabledAt: users.totpEnabledAt, mustChangePassword: users.mustChangePassword, passwordChangedAt: users.passwordChangedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) throw new AppError("UNAUTHENTICATED", "请重新登录 / please sign in again");
  const roles = (await db.select({ role: roleAssignments.role }).from(roleAssignments).where(eq(roleAssignments.userId, userId))).map((r) => r.role);
  return { account, roles };
}

const sessionMeta = (meta: SignInMeta) => ({ ...(meta.ip ? { ip: meta.ip } : {}), ...(meta.userAgent ? { userAgent: meta.userAgent } : {}) });

/** After the first factor: issues the session at once, or opens a challenge for the next step. */
export async function beginSignIn(
  db: Db,
  policy: AuthPolicy,
  userId: string,
  method: SignInMethod,
  meta: SignInMeta & { secondFactorDone?: boolean },
): Promise<SignInResult> {
  const { account, roles } = await accountOf(db, userId);
  const secondFactorDone = meta.secondFactorDone ?? false;
  const next = nextStep(account, roles, { method, secondFactorDone }, policy, meta.now);
  if (next === "done") return { next, sessionToken: await createSession(db, userId, policy, sessionMeta(meta), meta.now) };
  const token = randomBytes(32).toString("base64url");
  // One sign-in in progress per account: an older unfinished one is void.
  await db.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
  await db.delete(signInChallenges).where(lt(signInChallenges.expiresAt, meta.now));
  await db.insert(signInChallenges).values({
    tokenHash: tokenHash(token),
    userId,
    method,
    secondFactorDone,
    createdAt: meta.now,
    expiresAt: new Date(meta.now.getTime() + policy.challengeTtlMs),
    ip: meta.ip ?? null,
  });
  return { next, challengeToken: token };
}

export interface Challenge {
  tokenHash: string;
  userId: string;
  username: string;
  method: SignInMethod;
  secondFactorDone: boolean;
  step: Exclude<NextStep, "done">;
}

/** The sign-in in progress behind a challenge cookie, at its current step; UNAUTHENTICATED when none. */
export async function currentChallenge(db: Db, policy: AuthPolicy, token: string | undefined, now: Date): Promise<Challenge> {
  const expired = new AppError("UNAUTHENTICATED", "登录已过期, 请重新登录 / the sign-in expired, please start again");
  if (!token) throw expired;
  const hash = tokenHash(token);
  const [row] = await db
    .select({ userId: signInChallenges.userId, method: signInChallenges.method, secondFactorDone: signInChallenges.secondFactorDone, username: users.username })
    .from(signInChallenges)
    .innerJoin(users, eq(users.id, signInChallenges.userId))
    .where(and(eq(signInChallenges.tokenHash, hash), gt(signInChallenges.expiresAt, now), eq(users.disabled, false)));
  if (!row) throw expired;
  const { account, roles } = await accountOf(db, row.userId);
  const method = row.method as SignInMethod;
  const step = nextStep(account, roles, { method, secondFactorDone: row.secondFactorDone }, policy, now);
  // A challenge always has a step left: completing the last one replaces it with a session.
  if (step === "done") throw expired;
  return { tokenHash: hash, userId: row.userId, username: row.username, method, secondFactorDone: row.secondFactorDone, step };
}

/** Requires the challenge to be at `step`; a step taken out of order is refused. */
export async function challengeAt(db: Db, policy: AuthPolicy, token: string | undefined, step: Challenge["step"], now: Date): Promise<Challenge> {
  const challenge = await currentChallenge(db, policy, token, now);
  if (challenge.step !== step)
    throw new AppError("INVALID_STATE", `登录步骤不符 / this sign-in is at step ${challenge.step}, not ${step}`, { step: challenge.step });
  return challenge;
}

/** After a step succeeded: the next step, or the session when none is left (the challenge ends). */
export async function continueSignIn(db: Db, policy: AuthPolicy, challenge: Challenge, meta: SignInMeta): Promise<SignInResult | { next: Challenge["step"] }> {
  const { account, roles } = await accountOf(db, challenge.userId);
  const [row] = await db
    .select({ secondFactorDone: signInChallenges.secondFactorDone })
    .from(signInChallenges)
    .where(eq(signInChallenges.tokenHash, challenge.tokenHash));
  const next = nextStep(account, roles, { method: challenge.method, secondFactorDone: row?.secondFactorDone ?? false }, policy, meta.now);
  if (next !== "done") return { next };
  const deleted = await db.delete(signInChallenges).where(eq(signInChallenges.tokenHash, challenge.tokenHash)).returning({ userId: signInChallenges.userId });
  if (!deleted.length) throw new AppError("UNAUTHENTICATED", "登录已过期, 请重新登录 / the sign-in expired, please start again");
  return { next, sessionToken: await createSession(db, challenge.userId, policy, sessionMeta(meta), meta.now) };
}
