/** zod output schemas reused by several procedures. */
import { z } from "zod";
import { id, quantities, requestState, zone } from "../../shared/schemas.js";

export const date = z.date();
export const requestSummary = z.object({
  id,
  number: z.number(),
  kind: z.enum(["new", "change", "release"]),
  state: requestState,
  systemId: id,
  systemName: z.string(),
  level: z.number(),
  zone,
  /** Whether the system is graded (定级); requests of an ungraded one stop before provisioning. */
  graded: z.boolean(),
  departmentId: id,
  departmentName: z.string(),
  requesterName: z.string(),
  justification: z.string(),
  createdAt: date,
  updatedAt: date,
  submittedAt: date.nullable(),
});
export const stateChange = z.object({ id, state: requestState });
export { quantities };
