import { setCapacity as setCapacityService } from "../../../services/departments-service.js";
import { quantities, quantityLimits } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const setCapacity = rolesProcedure("ops")
  .input(quantityLimits)
  .output(quantities)
  .mutation(({ ctx, input }) => setCapacityService(ctx.service, input));
