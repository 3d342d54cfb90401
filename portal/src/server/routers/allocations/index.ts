import { ALLOCATION_PHASES } from "@zhengyun/db/vocabulary";
import { z } from "zod";
import { listAllocations } from "../../../services/allocations-service.js";
import { page, pageInput } from "../../../shared/paging.js";
import { id, quantities, zone } from "../../../shared/schemas.js";
import { rolesProcedure, router } from "../../trpc.js";
import { checked } from "../outputs.js";

export const allocationRow = z.object({
  systemId: id,
  systemName: z.string(),
  namespace: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  phase: z.enum(ALLOCATION_PHASES),
  generation: z.number(),
  observedGeneration: z.number(),
  expiresAt: z.date().nullable(),
  updatedAt: z.date(),
  granted: quantities,
  used: quantities,
  segments: z.array(z.object({ cidr: z.string(), zone })),
});

export const list = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object(pageInput).default({ limit: 50 }))
  .output(checked(page(allocationRow)))
  .query(({ ctx, input }) => listAllocations(ctx.service, input));

export const allocationsRouter = router({ list });
