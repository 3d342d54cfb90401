import { z } from "zod";
import { acknowledgeBreak as acknowledge } from "../../../services/audit-service.js";
import { rolesProcedure } from "../../trpc.js";

/**
 * The auditor acknowledges a break verification reports (a "known break"), with the reason;
 * later verifications show it as acknowledged rather than failed. The acknowledgement is audited.
 */
export const acknowledgeBreak = rolesProcedure("auditor")
  .input(z.object({ seq: z.number().int().positive(), reason: z.string().trim().min(4, "required").max(500) }))
  .output(z.object({ seq: z.number(), ackSeq: z.number() }))
  .mutation(({ ctx, input }) => acknowledge(ctx.service, input));
