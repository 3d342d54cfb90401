import { users } from "@zhengyun/db/schema";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { SESSION_COOKIE } from "../../../auth/policy.js";
import { sessionNotice } from "../../../auth/sessions.js";
import { mfaRequired } from "../../../auth/sign-in.js";
import { id, role } from "../../../shared/schemas.js";
import { signedInProcedure } from "../../trpc.js";

const lastEvent = z.object({ at: z.string(), ip: z.string().nullable() }).nullable();

export const output = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  departmentId: id,
  roles: z.array(role),
  /** The previous successful and the last failed sign-in, as they stood when this session began. */
  notice: z.object({ lastLogin: lastEvent, lastFailed: lastEvent }).nullable(),
  mfa: z.object({ enrolled: z.boolean(), required: z.boolean() }),
  passwordChangedAt: z.date(),
});

export const me = signedInProcedure
  .input(z.void())
  .output(output)
  .query(async ({ ctx }) => {
    const actor = ctx.service.actor;
    const [account] = await ctx.db
      .select({ totpEnabledAt: users.totpEnabledAt, passwordChangedAt: users.passwordChangedAt })
      .from(users)
      .where(eq(users.id, actor.id));
    return {
      ...actor,
      notice: await sessionNotice(ctx.db, ctx.cookies.get(SESSION_COOKIE)),
      mfa: { enrolled: Boolean(account?.totpEnabledAt), required: mfaRequired(actor.roles, ctx.policy) },
      passwordChangedAt: account?.passwordChangedAt ?? new Date(0),
    };
  });
