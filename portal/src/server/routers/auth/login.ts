import { z } from "zod";
import { loginWithPassword } from "../../../auth/login.js";
import { SESSION_COOKIE } from "../../../auth/policy.js";
import { createSession } from "../../../auth/sessions.js";
import { publicProcedure } from "../../trpc.js";

export const input = z.object({ username: z.string().trim().min(1, "required").max(64), password: z.string().min(1, "required").max(256) });
export const output = z.object({ ok: z.literal(true) });

export const login = publicProcedure
  .input(input)
  .output(output)
  .mutation(async ({ ctx, input }) => {
    const { userId } = await loginWithPassword(ctx.db, ctx.policy, input, { correlationId: ctx.correlationId, now: ctx.now(), source: ctx.ip });
    const token = await createSession(ctx.db, userId, ctx.policy, {
      ...(ctx.ip ? { ip: ctx.ip } : {}),
      ...(ctx.userAgent ? { userAgent: ctx.userAgent } : {}),
    });
    ctx.cookies.set(SESSION_COOKIE, token, Math.floor(ctx.policy.absoluteTimeoutMs / 1000));
    return { ok: true as const };
  });
