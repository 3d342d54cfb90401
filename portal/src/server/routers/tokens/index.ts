import { z } from "zod";
import { createApiToken, listApiTokens, MAX_TOKEN_DAYS, revokeApiToken } from "../../../services/api-tokens-service.js";
import { page, pageInput } from "../../../shared/paging.js";
import { id, role } from "../../../shared/schemas.js";
import { rolesProcedure, router } from "../../trpc.js";

/** Department admins make tokens for their department's integrations; platform roles for their own automation. */
const managers = ["dept_admin", "ops", "security", "auditor", "sysadmin"] as const;

const token = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  roles: z.array(role),
  ownerName: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const create = rolesProcedure(...managers)
  .input(
    z.object({
      name: z.string().trim().min(1, "give the token a name").max(64),
      roles: z.array(role).min(1, "at least one role").max(6),
      expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(90),
    }),
  )
  .output(z.object({ id, name: z.string(), roles: z.array(role), prefix: z.string(), expiresAt: z.date(), secret: z.string() }))
  .mutation(({ ctx, input }) => createApiToken(ctx.service, input));

export const list = rolesProcedure(...managers)
  .input(z.object(pageInput).default({ limit: 50 }))
  .output(page(token))
  .query(({ ctx, input }) => listApiTokens(ctx.service, input));

export const revoke = rolesProcedure(...managers)
  .input(z.object({ id }))
  .output(z.object({ id, revokedAt: z.date() }))
  .mutation(({ ctx, input }) => revokeApiToken(ctx.service, input.id));

export const tokensRouter = router({ create, list, revoke });
