import { z } from "zod";
import { listSystems } from "../../../services/systems-service.js";
import { cursor, page } from "../../../shared/paging.js";
import { rolesProcedure } from "../../trpc.js";
import { systemRow } from "./schemas.js";

/** Keyset paged (by department code, name): pass a page's `nextCursor` as `cursor` for the next. */
export const list = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object({ ungraded: z.boolean().optional(), cursor, limit: z.number().int().min(1).max(1000).default(500) }).default({ limit: 500 }))
  .output(page(systemRow))
  .query(({ ctx, input }) => listSystems(ctx.service, input));
