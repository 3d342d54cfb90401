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

/** An output parser made by `checked`: a function, with the schema it checks against. */
export type CheckedOutput<T extends z.ZodType> = ((value: unknown) => z.output<T>) & { schema: T };

/**
 * An output checked against `schema` with zod's synchronous parse, which runs zod's compiled
 * checks for object shapes; tRPC would call parseAsync on a schema, which does not. The same
 * schema refuses the same rows, at about half the cost for the lists that return a hundred rows.
 * The schema has no asynchronous refinements. The OpenAPI document reads `schema`.
 */
export function checked<T extends z.ZodType>(schema: T): CheckedOutput<T> {
  return Object.assign((value: unknown) => schema.parse(value), { schema });
}

/** The zod schema of a procedure's declared output, whether given as a schema or `checked`. */
export function outputSchema(declared: unknown): unknown {
  return typeof declared === "function" && "schema" in declared ? declared.schema : declared;
}
export { quantities };
