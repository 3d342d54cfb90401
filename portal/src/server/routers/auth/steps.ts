import { z } from "zod";
import { SESSION_COOKIE, SIGN_IN_COOKIE } from "../../../auth/policy.js";
import type { NextStep, SignInMeta, SignInResult } from "../../../auth/sign-in.js";
import type { RequestContext } from "../../trpc.js";

export const nextStep = z.enum(["done", "totp", "change_password", "enrol_totp"]);
export const stepOutput = z.object({ ok: z.literal(true), next: nextStep });

export const metaOf = (ctx: RequestContext): SignInMeta => ({ ip: ctx.ip, userAgent: ctx.userAgent, now: ctx.now() });

/** Hands the browser the session (sign-in complete) or the challenge for the next step. */
export function applySignIn(ctx: RequestContext, result: SignInResult | { next: Exclude<NextStep, "done"> }): { ok: true; next: NextStep } {
  if ("sessionToken" in result) {
    ctx.cookies.clear(SIGN_IN_COOKIE);
    ctx.cookies.set(SESSION_COOKIE, result.sessionToken, Math.floor(ctx.policy.absoluteTimeoutMs / 1000));
  } else if ("challengeToken" in result) {
    ctx.cookies.set(SIGN_IN_COOKIE, result.challengeToken, Math.floor(ctx.policy.challengeTtlMs / 1000));
  }
  return { ok: true, next: result.next };
}
