import { z } from "zod";
import { checkAuditAnchor } from "../../../services/audit-anchor-service.js";
import { anchorInput } from "../../../shared/anchor.js";
import { rolesProcedure } from "../../trpc.js";

const common = { seq: z.number(), hash: z.string(), headSeq: z.number(), message: z.string() };

/** Checks an anchor the auditor kept: intact, truncated (entries removed from the end), mismatch or broken. */
export const checkAnchor = rolesProcedure("auditor")
  .input(anchorInput)
  .output(
    z.discriminatedUnion("verdict", [
      z.object({ verdict: z.literal("intact"), ...common, checked: z.number() }),
      z.object({ verdict: z.literal("truncated"), ...common }),
      z.object({ verdict: z.literal("mismatch"), ...common, found: z.string().nullable() }),
      z.object({
        verdict: z.literal("broken"),
        ...common,
        firstBrokenSeq: z.number(),
        reason: z.enum(["hash-mismatch", "link-broken", "gap"]),
      }),
    ]),
  )
  .query(({ ctx, input }) => checkAuditAnchor(ctx.db, input));
