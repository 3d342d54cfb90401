import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, forbidden, notFound } from "@zhengyun/db/errors";
import { notifyTransition } from "@zhengyun/db/notifications/facts";
import { amount, type Quantities } from "@zhengyun/db/quantities";
import { releaseRequestSegments } from "@zhengyun/db/requests/grant";
import { liveSegments, lockRequest, systemGrant } from "@zhengyun/db/requests/load";
import { moveRequest } from "@zhengyun/db/requests/transition";
import { allocations, informationSystems, requestEgressDestinations, requestItems, requestTransitions, resourceRequests } from "@zhengyun/db/schema";
import type { Resource } from "@zhengyun/db/schema/enums";
import { isOpen } from "@zhengyun/db/workflow";
import { eq } from "drizzle-orm";
import { levelConflicts } from "../../domain/level-fit.js";
import { audit } from "../audit-service.js";
import { assertDepartment } from "../scope.js";

export interface NewRequestInput {
  systemId: string;
  kind: "new" | "change" | "release";
  /** Target amounts for the system (not increments); ignored for release. */
  resources: Partial<Record<Exclude<Resource, "segments">, number>>;
  segmentPrefix: number | null;
  egress: { host: string; port: number }[];
  expiresAt: Date | null;
  justification: string;
  submit: boolean;
}

function invalid(field: string, message: string): AppError {
  return new AppError("INVALID_INPUT", `${field}: ${message}`, { field });
}

export async function createRequest(ctx: ServiceContext, input: NewRequestInput) {
  return ctx.db.transaction(async (tx) => {
    const [system] = await tx.select().from(informationSystems).where(eq(informationSystems.id, input.systemId)).for("update");
    if (!system) throw notFound("information system");
    assertDepartment(ctx, system.departmentId);
    if (system.retired) throw new AppError("INVALID_STATE", "the system is retired");

    const [allocation] = await tx.select({ generation: allocations.generation }).from(allocations).where(eq(allocations.systemId, system.id));
    const current = await systemGrant(tx, system.id);
    const holdsResources = Object.values(current).some((v) => (v ?? 0) > 0);
    if (input.kind === "new" && holdsResources) throw invalid("kind", "the system already holds resources: file a change request");
    if (input.kind !== "new" && (!allocation || !holdsResources)) throw invalid("kind", "the system holds no resources yet: file a new request");

    const [conflict] = levelConflicts(system, input.resources, input.egress.length);
    if (conflict) throw invalid(conflict.field, conflict.message);
    if (input.expiresAt && input.expiresAt <= ctx.now()) throw invalid("expiresAt", "must be in the future");

    const segmentsNow = (await liveSegments(tx, [system.id])).length;
    const target: Quantities = input.kind === "release" ? {} : { ...input.resources, segments: segmentsNow + (input.segmentPrefix ? 1 : 0) };
    if (input.kind !== "release" && amount(target, "vcpu") === 0 && amount(target, "memory_gib") === 0)
      throw invalid("resources", "compute (vCPU and memory) is required");

    const [request] = await tx
      .insert(resourceRequests)
      .values({
        systemId: system.id,
        departmentId: system.departmentId,
        kind: input.kind,
        state: input.submit ? "submitted" : "draft",
        requesterId: ctx.actor.id,
        justification: input.justification,
        expiresAt: input.expiresAt,
        segmentPrefix: input.kind === "release" ? null : input.segmentPrefix,
        submittedAt: input.submit ? ctx.now() : null,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .onConflictDoNothing()
      .returning({ id: resourceRequests.id, number: resourceRequests.number, state: resourceRequests.state });
    if (!request) throw new AppError("CONFLICT", "this system already has a request in progress; finish or withdraw it first");
    const items = Object.entries(target).map(([resource, value]) => ({ requestId: request.id, resource: resource as Resource, amount: value ?? 0 }));
    if (items.length > 0) await tx.insert(requestItems).values(items);
    if (input.kind !== "release" && input.egress.length > 0)
      await tx.insert(requestEgressDestinations).values(input.egress.map((e) => ({ requestId: request.id, ...e })));
    await tx
      .insert(requestTransitions)
      .values({ requestId: request.id, fromState: null, toState: request.state, actorId: ctx.actor.id, actorRole: ctx.role, at: ctx.now() });
    if (request.state === "submitted")
      await notifyTransition(tx, { requestId: request.id, from: null, to: "submitted", actorId: ctx.actor.id, note: null, at: ctx.now() });
    await audit(tx, ctx, "request.create", { type: "request", id: request.id }, { after: { ...input, target } });
    return request;
  });
}

export async function submitRequest(ctx: ServiceContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const { request } = await lockRequest(tx, id);
    assertDepartment(ctx, request.departmentId);
    if (request.state !== "draft") throw new AppError("INVALID_STATE", `only a draft can be submitted (this one is ${request.state})`);
    await moveRequest(tx, { ctx }, request, "submitted", null, { submittedAt: ctx.now() });
    return { id, state: "submitted" as const };
  });
}

export async function withdrawRequest(ctx: ServiceContext, id: string, reason: string | null) {
  return ctx.db.transaction(async (tx) => {
    const { request } = await lockRequest(tx, id);
    assertDepartment(ctx, request.departmentId);
    if (ctx.role === "applicant" && request.requesterId !== ctx.actor.id) throw forbidden("only the requester or a department admin may withdraw a request");
    if (!isOpen(request.state)) throw new AppError("INVALID_STATE", `a ${request.state} request can no longer be withdrawn`);
    await releaseRequestSegments(tx, id, ctx.now());
    await moveRequest(tx, { ctx }, request, "withdrawn", reason, { decidedAt: ctx.now() });
    return { id, state: "withdrawn" as const };
  });
}
