import { appendAudit } from "@zhengyun/db/audit/append";
import { AppError } from "@zhengyun/db/errors";
import { sessions, users } from "@zhengyun/db/schema";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { checkNewPassword, storePassword } from "../../../auth/password-change.js";
import { verifyPassword } from "../../../auth/passwords.js";
import { SESSION_COOKIE, SIGN_IN_COOKIE } from "../../../auth/policy.js";
import { tokenHash } from "../../../auth/sessions.js";
import { challengeAt, continueSignIn } from "../../../auth/sign-in.js";
import { publicProcedure, signedInProcedure } from "../../trpc.js";
import { applySignIn, metaOf, stepOutput } from "./steps.js";

const newPassword = z.string().min(1, "required").max(256);

/** The forced change within a sign-in: a temporary (administrator-issued) or expired password. */
export const setPassword = publicProcedure
  .input(z.object({ newPassword }))
  .output(stepOutput)
  .mutation(async ({ ctx, input }) => {
    const meta = metaOf(ctx);
    const challenge = await challengeAt(ctx.db, ctx.policy, ctx.cookies.get(SIGN_IN_COOKIE), "change_password", meta.now);
    await ctx.db.transaction(async (tx) => {
      const [user] = await tx
        .select({ id: users.id, username: users.username, passwordHash: users.passwordHash, mustChangePassword: users.mustChangePassword })
        .from(users)
        .where(eq(users.id, challenge.userId))
        .for("update");
      if (!user) throw new AppError("UNAUTHENTICATED", "请重新登录 / please sign in again");
      await checkNewPassword(tx, ctx.policy.password, user, input.newPassword);
      await storePassword(tx, ctx.policy.password, user.id, input.newPassword, { temporary: false, now: meta.now });
      await appendAudit(tx, {
        actorId: user.id,
        actorName: user.username,
        actorRole: null,
        action: "auth.password_changed",
        targetType: "user",
        targetId: user.id,
        after: { reason: user.mustChangePassword ? "temporary" : "expired" },
        correlationId: ctx.correlationId,
        at: meta.now,
      });
    });
    return applySignIn(ctx, await continueSignIn(ctx.db, ctx.policy, challenge, meta));
  });

/** A signed-in person changes their own password; their other sessions end. */
export const changePassword = signedInProcedure
  .input(z.object({ currentPassword: z.string().min(1, "required").max(256), newPassword }))
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    const actor = ctx.service.actor;
    await ctx.db.transaction(async (tx) => {
      const [user] = await tx
        .select({ id: users.id, username: users.username, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.id, actor.id))
        .for("update");
      if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword)))
        throw new AppError("INVALID_INPUT", "currentPassword: 当前口令错误 / the current password is wrong", { field: "currentPassword" });
      await checkNewPassword(tx, ctx.policy.password, user, input.newPassword);
      await storePassword(tx, ctx.policy.password, user.id, input.newPassword, { temporary: false, now: ctx.now() });
      const current = ctx.cookies.get(SESSION_COOKIE);
      await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, current ? tokenHash(current) : "")));
      await appendAudit(tx, {
        actorId: user.id,
        actorName: user.username,
        actorRole: ctx.service.role,
        action: "auth.password_changed",
        targetType: "user",
        targetId: user.id,
        after: { reason: "self" },
        correlationId: ctx.correlationId,
        at: ctx.now(),
      });
    });
    return { ok: true as const };
  });
