import { z } from "zod";
import { deleteRule, listRules, saveRule } from "../../../services/auto-rules-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure, router } from "../../trpc.js";

const rule = z.object({
  id,
  departmentId: id,
  departmentName: z.string(),
  departmentNameEn: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  maxLevel: z.number(),
  requireHeadroom: z.boolean(),
  maxGrowthPct: z.number().nullable(),
  minUsagePct: z.number().nullable(),
  minUsageDays: z.number().nullable(),
  updatedAt: z.date(),
});

const list = rolesProcedure("ops")
  .input(z.object({ departmentId: id.optional() }).default({}))
  .output(z.array(rule))
  .query(({ ctx, input }) => listRules(ctx.service, input));

/** Creates a rule (no id) or replaces one. Rules approve at most level 2 and never the security stage. */
const save = rolesProcedure("ops")
  .input(
    z
      .object({
        id: id.optional(),
        departmentId: id,
        name: z.string().trim().min(1, "name is required").max(64),
        enabled: z.boolean().default(false),
        maxLevel: z.number().int().min(1, "level 1 or 2").max(2, "auto-approval stops at level 2"),
        requireHeadroom: z.boolean().default(true),
        maxGrowthPct: z.number().int().min(0).max(1000).nullable().default(null),
        minUsagePct: z.number().int().min(0).max(100).nullable().default(null),
        minUsageDays: z.number().int().min(1).max(90).nullable().default(null),
      })
      .refine((r) => (r.minUsagePct === null) === (r.minUsageDays === null), { message: "usage share and days go together", path: ["minUsageDays"] }),
  )
  .output(z.object({ id }))
  .mutation(({ ctx, input }) => saveRule(ctx.service, input));

const remove = rolesProcedure("ops")
  .input(z.object({ id }))
  .output(z.object({ id }))
  .mutation(({ ctx, input }) => deleteRule(ctx.service, input.id));

export const autoRulesRouter = router({ list, save, remove });
