import { appendAudit } from "@zhengyun/db/audit/append";
import { z } from "zod";
import { SESSION_COOKIE } from "../../../auth/policy.js";
import { destroySession } from "../../../auth/sessions.js";
import { signedInProcedure } from "../../trpc.js";

export const logout = signedInProcedure
  .input(z.void())
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    await ctx.db.transaction(async (tx) => {
      await destroySession(tx, ctx.cookies.get(SESSION_COOKIE));
      await appendAudit(tx, {
        actorId: ctx.service.actor.id,
        actorName: ctx.service.actor.username,
        actorRole: null,
        action: "auth.logout",
        targetType: "user",
        targetId: ctx.service.actor.id,
        correlationId: ctx.correlationId,
        at: ctx.now(),
      });
    });
    ctx.cookies.clear(SESSION_COOKIE);
    return { ok: true as const };
  });
