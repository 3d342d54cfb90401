import { z } from "zod";
import { listDepartments } from "../../../services/departments-service.js";
import { cursor, page } from "../../../shared/paging.js";
import { id } from "../../../shared/schemas.js";
import { signedInProcedure } from "../../trpc.js";

/** Keyset paged by department code: pass a page's `nextCursor` as `cursor` for the next. */
export const list = signedInProcedure
  .input(z.object({ cursor, limit: z.number().int().min(1).max(1000).default(1000) }).default({ limit: 1000 }))
  .output(page(z.object({ id, code: z.string(), name: z.string(), nameEn: z.string() })))
  .query(({ ctx, input }) => listDepartments(ctx.service, input));
