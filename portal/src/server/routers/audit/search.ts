import { AUDIT_TARGET_TYPES } from "@zhengyun/db/audit/vocabulary";
import { z } from "zod";
import { searchAudit } from "../../../services/audit-service.js";
import { rolesProcedure } from "../../trpc.js";

export const search = rolesProcedure("auditor")
  .input(
    z
      .object({
        actor: z.string().max(64).optional(),
        action: z.string().max(64).optional(),
        targetType: z.enum(AUDIT_TARGET_TYPES).optional(),
        targetId: z.string().max(64).optional(),
        from: z.coerce.date().optional(),
        to: z.coerce.date().optional(),
        text: z.string().max(100).optional(),
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .default({ limit: 100 }),
  )
  .output(
    z.array(
      z.object({
        seq: z.number(),
        at: z.date(),
        actorName: z.string(),
        actorRole: z.string().nullable(),
        action: z.string(),
        targetType: z.string(),
        targetId: z.string(),
        before: z.unknown(),
        after: z.unknown(),
        correlationId: z.string(),
        hash: z.string(),
      }),
    ),
  )
  .query(({ ctx, input }) => searchAudit(ctx.db, input));
