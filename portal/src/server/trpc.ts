import { initTRPC, TRPCError } from "@trpc/server";
import { unstorablePath } from "@zhengyun/db/audit/chain";
import type { Db } from "@zhengyun/db/client";
import type { Actor, ServiceContext } from "@zhengyun/db/context";
import { AppError, type AppErrorCode } from "@zhengyun/db/errors";
import type { Role } from "@zhengyun/db/schema/enums";
import { ZodError } from "zod";
import { auditTokenMutation } from "../auth/api-tokens.js";
import type { AuthPolicy } from "../auth/policy.js";
import { TRPC_CODE } from "../errors/trpc-mapping.js";

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
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      // Unexpected failures (a database error, a bug) keep their details for the log, which
      // carries the request id; the caller gets the code and that id only.
      if (error.code === "INTERNAL_SERVER_ERROR")
        return {
          ...shape,
          message: internalErrorMessage(ctx?.correlationId),
          data: { ...shape.data, stack: undefined, requestId: ctx?.correlationId },
        };
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

/** What a caller is told about an unexpected failure: no SQL, no stack, only where to look. */
export const internalErrorMessage = (requestId: string | undefined) =>
  `服务器内部错误，请联系管理员（请求编号 ${requestId ?? "-"}） / internal error, please contact the administrator (request id ${requestId ?? "-"})`;

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
 * Refuses, for every procedure, input holding text PostgreSQL cannot store as given: a lone UTF-16
 * surrogate (stored as U+FFFD, so it would not read back as written) or NUL (refused by the
 * database). Runs before any input parser, on the raw input.
 */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  const where = unstorablePath(await getRawInput());
  if (where !== null)
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${where || "input"}: 含有无法存储的字符（孤立代理项或 NUL） / contains characters that cannot be stored (a lone surrogate or NUL)`,
    });
  return next();
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

/** A mutation made with an API token is recorded against the token, whether it went through or not. */
const auditTokenUse = t.middleware(async ({ ctx, type, path, next }) => {
  const result = await next();
  if (type === "mutation" && ctx.actor?.token) {
    const code = result.ok ? undefined : result.error.cause instanceof AppError ? result.error.cause.code : result.error.code;
    await auditTokenMutation(ctx.db, ctx.actor, { path, ok: result.ok, code, role: null, correlationId: ctx.correlationId, at: ctx.now() });
  }
  return result;
});

const base = t.procedure.use(refuseUnstorableText).use(auditTokenUse).use(mapErrors).use(authorize);

/** After `authorize`, every non-public procedure has a service context. */
const withService = base.use(({ ctx, next }) => next({ ctx: { ...ctx, service: ctx.service as ServiceContext } }));

export const publicProcedure = base.meta({ access: { public: true } });
export const signedInProcedure = withService.meta({ access: { signedIn: true } });
export const rolesProcedure = (...roles: Role[]) => withService.meta({ access: { roles } });
