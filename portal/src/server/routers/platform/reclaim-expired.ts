import { reclaimExpired as reclaim } from "@zhengyun/db/requests/platform";
import { z } from "zod";
import { rolesProcedure } from "../../trpc.js";

/** Runs the expiry sweep now (it also runs periodically in the server). */
export const reclaimExpired = rolesProcedure("ops")
  .input(z.void())
  .output(z.object({ reclaimed: z.array(z.uuid()) }))
  .mutation(async ({ ctx }) => ({ reclaimed: await reclaim(ctx.db, ctx.now()) }));
