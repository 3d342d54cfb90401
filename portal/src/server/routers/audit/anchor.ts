import { z } from "zod";
import { takeAuditAnchor } from "../../../services/audit-anchor-service.js";
import { rolesProcedure } from "../../trpc.js";

/**
 * Records an anchor of the chain for the auditor to keep outside the system. The anchor is the
 * audit entry that records its taking ("audit.anchor_taken"), i.e. the head including that entry.
 */
export const anchor = rolesProcedure("auditor")
  .input(z.void())
  .output(
    z.object({
      seq: z.number(),
      hash: z.string(),
      /** The anchored entry's time; being the entry that records the taking, also `takenAt`. */
      at: z.date(),
      takenAt: z.date(),
      /** Entries in the chain, the anchored one included. */
      entries: z.number(),
      fingerprint: z.string(),
      takenBy: z.string(),
    }),
  )
  .mutation(({ ctx }) => takeAuditAnchor(ctx.service));
