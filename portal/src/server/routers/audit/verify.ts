import { z } from "zod";
import { verifyAuditChain } from "../../../services/audit-service.js";
import { rolesProcedure } from "../../trpc.js";

const reason = z.enum(["hash-mismatch", "link-broken", "gap"]);
/** Every entry that does not hold, and whether an auditor acknowledged it as a known break. */
const breaks = z.array(
  z.object({
    seq: z.number(),
    reason,
    storedHash: z.string(),
    contentHash: z.string(),
    acknowledged: z.object({ ackSeq: z.number(), by: z.string(), at: z.date(), reason: z.string() }).nullable(),
  }),
);
const common = { checked: z.number(), total: z.number(), lastHash: z.string(), breaks, breakCount: z.number() };

export const verify = rolesProcedure("auditor")
  .input(z.void())
  .output(
    z.discriminatedUnion("ok", [
      z.object({ ok: z.literal(true), ...common }),
      z.object({ ok: z.literal(false), ...common, firstBrokenSeq: z.number(), reason }),
    ]),
  )
  .query(({ ctx }) => verifyAuditChain(ctx.db));
