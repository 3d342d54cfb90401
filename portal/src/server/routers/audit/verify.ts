import { z } from "zod";
import { verifyAuditChain } from "../../../services/audit-service.js";
import { rolesProcedure } from "../../trpc.js";

export const verify = rolesProcedure("auditor")
  .input(z.void())
  .output(
    z.discriminatedUnion("ok", [
      z.object({ ok: z.literal(true), checked: z.number(), total: z.number(), lastHash: z.string() }),
      z.object({
        ok: z.literal(false),
        checked: z.number(),
        total: z.number(),
        firstBrokenSeq: z.number(),
        reason: z.enum(["hash-mismatch", "link-broken", "gap"]),
      }),
    ]),
  )
  .query(({ ctx }) => verifyAuditChain(ctx.db));
