import { z } from "zod";
import { loginWithPassword } from "../../../auth/login.js";
import { beginSignIn } from "../../../auth/sign-in.js";
import { publicProcedure } from "../../trpc.js";
import { applySignIn, metaOf, stepOutput } from "./steps.js";

export const input = z.object({ username: z.string().trim().min(1, "required").max(64), password: z.string().min(1, "required").max(256) });
export const output = stepOutput;

/** The first step of a password sign-in; `next` says what remains before the session is issued. */
export const login = publicProcedure
  .input(input)
  .output(output)
  .mutation(async ({ ctx, input }) => {
    const meta = metaOf(ctx);
    const { userId } = await loginWithPassword(ctx.db, ctx.policy, input, { correlationId: ctx.correlationId, now: meta.now, ip: ctx.ip, source: ctx.ip });
    return applySignIn(ctx, await beginSignIn(ctx.db, ctx.policy, userId, "password", meta));
  });
