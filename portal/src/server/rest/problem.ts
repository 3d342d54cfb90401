import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { AppError, type AppErrorCode } from "@zhengyun/db/errors";
import { ZodError } from "zod";
import { describeZodError } from "../trpc.js";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: AppErrorCode | "INTERNAL";
  instance?: string;
  correlationId?: string;
  fields?: { field: string; message: string }[] | Record<string, unknown>;
}

export const PROBLEM_TYPE = "application/problem+json";

const TRPC_TO_APP: Partial<Record<TRPCError["code"], AppErrorCode>> = {
  BAD_REQUEST: "INVALID_INPUT",
  PARSE_ERROR: "INVALID_INPUT",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
};

export function problem(status: number, code: Problem["code"], detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `urn:zhengyun:error:${code}`, title: code, status, detail, code, ...extra };
}

/** The problem document for an error a procedure threw, carrying its AppError code. */
export function problemFromError(err: unknown): Problem {
  if (err instanceof TRPCError) {
    const status = getHTTPStatusCodeFromError(err);
    const cause = err.cause;
    if (cause instanceof AppError) return problem(status, cause.code, cause.message, cause.details ? { fields: cause.details } : {});
    if (cause instanceof ZodError) {
      return problem(400, "INVALID_INPUT", describeZodError(cause), { fields: cause.issues.map((i) => ({ field: i.path.join("."), message: i.message })) });
    }
    const code = TRPC_TO_APP[err.code];
    if (code && status < 500) return problem(status, code, err.message);
  }
  return problem(500, "INTERNAL", "内部错误 / internal error");
}
