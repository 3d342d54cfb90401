import { z } from "zod";
import { getRequest } from "../../../services/requests/queries.js";
import { id, requestState, role, zone } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { checked, quantities, requestSummary } from "../outputs.js";

const condition = z.object({ type: z.string(), status: z.string(), reason: z.string(), message: z.string(), lastTransitionTime: z.string() });

export const output = requestSummary.extend({
  segmentPrefix: z.number().nullable(),
  expiresAt: z.date().nullable(),
  rejectionReason: z.string().nullable(),
  failureReason: z.string().nullable(),
  completedAt: z.date().nullable(),
  requesterId: id,
  opsApproverId: id.nullable(),
  target: quantities,
  currentGrant: quantities,
  /** The system's grant just before this request's was applied; null until then (or when not recorded). */
  grantBefore: z.object({ resources: quantities, segments: z.array(z.string()) }).nullable(),
  egress: z.array(z.object({ host: z.string(), port: z.number() })),
  transitions: z.array(
    z.object({
      from: requestState.nullable(),
      to: requestState,
      actorName: z.string().nullable(),
      actorRole: role.nullable(),
      note: z.string().nullable(),
      at: z.date(),
    }),
  ),
  segments: z.array(z.object({ cidr: z.string(), zone, releasedAt: z.date().nullable() })),
  rating: z.object({ score: z.number(), comment: z.string(), createdAt: z.date() }).nullable(),
  allocation: z
    .object({
      phase: z.string(),
      conditions: z.array(condition),
      outputs: z.record(z.string(), z.unknown()),
      generation: z.number(),
      observedGeneration: z.number(),
      requestId: id.nullable(),
    })
    .nullable(),
});

export const get = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object({ id }))
  .output(checked(output))
  .query(({ ctx, input }) => getRequest(ctx.service, input.id));
