import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { AuthPolicy } from "../auth/policy.js";
import type { Db } from "../db/client.js";
import type { Role } from "../db/schema/enums.js";
import { AppError, type AppErrorCode } from "../errors/app-error.js";
import { TRPC_CODE } from "../errors/trpc-mapping.js";
import type { Actor, ServiceContext } from "../services/context.js";

/** Who may call a procedure: named roles, any signed-in person, or anyone. */
export type Access = { roles: readonly Role[] } | { signedIn: true } | { public: true };
export interface Meta {
  access: Access;
}

export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, maxAgeSeconds: number): void;
  clear(name: string): void;
}

export interface RequestContext {
  db: Db;
  actor: Actor | null;
  correlationId: string;
  policy: AuthPolicy;
  cookies: CookieJar;
  ip?: string;
  userAgent?: string;
  now: () => Date;
  /** The highest protection level the platform hosts, when not ZHENGYUN_MAX_LEVEL. */
  maxLevel?: number;
}

const t = initTRPC
  .context<RequestContext>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const zodIssues = cause instanceof ZodError ? cause.issues.map((i) => ({ field: i.path.join("."), message: i.message })) : undefined;
      const appCode: AppErrorCode | undefined = cause instanceof AppError ? cause.code : zodIssues ? "INVALID_INPUT" : undefined;
      const message = cause instanceof ZodError ? describeZodError(cause) : shape.message;
      return {
        ...shape,
        message,
        data: { ...shape.data, stack: undefined, appCode, fields: zodIssues ?? (cause instanceof AppError ? cause.details : undefined) },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** "field: message; …" for a zod error, so bad input reads plainly wherever it surfaces. */
export function describeZodError(error: ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
}

/** Turns AppErrors from services (and zod input errors) into tRPC errors, using the one mapping table. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  }
  if (!result.ok && result.error.cause instanceof ZodError) {
    throw new TRPCError({ code: "BAD_REQUEST", message: describeZodError(result.error.cause), cause: result.error.cause });
  }
  return result;
});

/**
 * Admits the caller per the procedure's declared access and builds its service context; the
 * acting role is the first declared role the caller holds.
 */
const authorize = t.middleware(async ({ ctx, meta, next }) => {
  const access = meta?.access;
  if (!access) throw new AppError("FORBIDDEN", "procedure declares no access");
  if ("public" in access) return next({ ctx: { ...ctx, service: null as ServiceContext | null } });
  if (!ctx.actor) throw new AppError("UNAUTHENTICATED", "请先登录 / please sign in");
  const actor = ctx.actor;
  let role: Role | undefined;
  if ("roles" in access) {
    role = access.roles.find((r) => actor.roles.includes(r));
    if (!role) throw new AppError("FORBIDDEN", `此操作需要角色 / requires one of: ${access.roles.join(", ")}`);
  } else {
    role = actor.roles[0] ?? "applicant";
  }
  const service: ServiceContext = {
    db: ctx.db,
    actor,
    role,
    correlationId: ctx.correlationId,
    now: ctx.now,
    ...(ctx.maxLevel === undefined ? {} : { maxLevel: ctx.maxLevel }),
  };
  return next({ ctx: { ...ctx, service: service as ServiceContext | null } });
});

const base = t.procedure.use(mapErrors).use(authorize);

/** After `authorize`, every non-public procedure has a service context. */
const withService = base.use(({ ctx, next }) => next({ ctx: { ...ctx, service: ctx.service as ServiceContext } }));

export const publicProcedure = base.meta({ access: { public: true } });
export const signedInProcedure = withService.meta({ access: { signedIn: true } });
export const rolesProcedure = (...roles: Role[]) => withService.meta({ access: { roles } });
