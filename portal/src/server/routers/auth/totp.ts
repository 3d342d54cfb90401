import { z } from "zod";
import { confirmEnrolment, startEnrolment } from "../../../auth/mfa.js";
import { SIGN_IN_COOKIE } from "../../../auth/policy.js";
import { challengeAt, continueSignIn } from "../../../auth/sign-in.js";
import { publicProcedure, type RequestContext } from "../../trpc.js";
import { applySignIn, metaOf, nextStep } from "./steps.js";

/** Who enrols: the signed-in person, or the sign-in in progress that must enrol before its session. */
async function enrollee(ctx: RequestContext) {
  if (ctx.actor) return { userId: ctx.actor.id, username: ctx.actor.username };
  const challenge = await challengeAt(ctx.db, ctx.policy, ctx.cookies.get(SIGN_IN_COOKIE), "enrol_totp", ctx.now());
  return { userId: challenge.userId, username: challenge.username, challenge };
}

/** A new TOTP secret with its QR code (otpauth URI), shown once; it counts after totpConfirm. */
export const totpSetup = publicProcedure
  .input(z.void())
  .output(z.object({ secret: z.string(), uri: z.string(), qrDataUrl: z.string() }))
  .mutation(async ({ ctx }) => startEnrolment(ctx.db, ctx.policy, await enrollee(ctx)));

/** Confirms enrolment with a first code; returns the ten recovery codes, shown this once. */
export const totpConfirm = publicProcedure
  .input(
    z.object({
      code: z
        .string()
        .trim()
        .regex(/^\d{6}$/, "the 6-digit code from the authenticator app"),
    }),
  )
  .output(z.object({ ok: z.literal(true), next: nextStep, recoveryCodes: z.array(z.string()) }))
  .mutation(async ({ ctx, input }) => {
    const who = await enrollee(ctx);
    const recoveryCodes = await confirmEnrolment(
      ctx.db,
      ctx.policy,
      { userId: who.userId, username: who.username, ...(who.challenge ? { challengeTokenHash: who.challenge.tokenHash } : {}) },
      input.code,
      { correlationId: ctx.correlationId, now: ctx.now() },
    );
    if (!who.challenge) return { ok: true as const, next: "done" as const, recoveryCodes };
    const step = applySignIn(ctx, await continueSignIn(ctx.db, ctx.policy, who.challenge, metaOf(ctx)));
    return { ...step, recoveryCodes };
  });
