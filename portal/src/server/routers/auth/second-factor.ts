import { z } from "zod";
import { verifySecondFactor } from "../../../auth/mfa.js";
import { SIGN_IN_COOKIE } from "../../../auth/policy.js";
import { challengeAt, continueSignIn } from "../../../auth/sign-in.js";
import { publicProcedure } from "../../trpc.js";
import { applySignIn, metaOf, stepOutput } from "./steps.js";

/** The second step of a sign-in: a 6-digit TOTP code or one of the recovery codes. */
export const secondFactor = publicProcedure
  .input(z.object({ code: z.string().trim().min(6, "enter the 6-digit code or a recovery code").max(32) }))
  .output(stepOutput)
  .mutation(async ({ ctx, input }) => {
    const meta = metaOf(ctx);
    const challenge = await challengeAt(ctx.db, ctx.policy, ctx.cookies.get(SIGN_IN_COOKIE), "totp", meta.now);
    await verifySecondFactor(ctx.db, ctx.policy, challenge, input.code, { correlationId: ctx.correlationId, ip: ctx.ip, now: meta.now });
    return applySignIn(ctx, await continueSignIn(ctx.db, ctx.policy, challenge, meta));
  });
