import { verifyDay as verify } from "@zhengyun/db/egress-digest";
import { z } from "zod";
import { rolesProcedure } from "../../trpc.js";

const summary = z.object({ count: z.number(), digest: z.string() });

/** Recomputes one day's summary of the egress log and compares it with the audit chain's. */
export const verifyDay = rolesProcedure("auditor", "security")
  .input(z.object({ day: z.iso.date("a day as YYYY-MM-DD") }))
  .output(
    z.discriminatedUnion("status", [
      z.object({ day: z.string(), status: z.literal("intact"), count: z.number() }),
      z.object({ day: z.string(), status: z.literal("altered"), recorded: summary, actual: summary.extend({ day: z.string() }) }),
      z.object({ day: z.string(), status: z.literal("unsummarised") }),
    ]),
  )
  .query(({ ctx, input }) => verify(ctx.db, input.day));
