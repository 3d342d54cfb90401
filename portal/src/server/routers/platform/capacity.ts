import { z } from "zod";
import { capacityOverview } from "../../../services/departments-service.js";
import { quantities } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const capacity = rolesProcedure("ops", "security", "sysadmin")
  .input(z.void())
  .output(z.object({ capacity: quantities, held: quantities, used: quantities }))
  .query(({ ctx }) => capacityOverview(ctx.service));
