import { z } from "zod";
import { listDepartments } from "../../../services/departments-service.js";
import { id } from "../../../shared/schemas.js";
import { signedInProcedure } from "../../trpc.js";

export const list = signedInProcedure
  .input(z.void())
  .output(z.array(z.object({ id, code: z.string(), name: z.string(), nameEn: z.string() })))
  .query(({ ctx }) => listDepartments(ctx.service));
