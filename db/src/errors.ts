/** Every failure the portal reports on purpose carries one of these codes. */
export const APP_ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "INVALID_INPUT",
  "INVALID_STATE",
  "CONFLICT",
  "CEILING_EXCEEDED",
  "CAPACITY_EXCEEDED",
  "POOL_EXHAUSTED",
  "SEPARATION_OF_DUTIES",
  "ACCOUNT_LOCKED",
  "RATE_LIMITED",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export const forbidden = (message = "此操作不在您的权限范围内 / not permitted for your role or department") => new AppError("FORBIDDEN", message);
export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
