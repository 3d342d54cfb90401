/** Turns whatever a tRPC call threw into something a person can read. */

export interface FieldError {
  /** Dotted path of the input field, e.g. "resources.vcpu". */
  field: string;
  message: string;
}

export interface ErrorInfo {
  /** tRPC code, e.g. "UNAUTHORIZED"; undefined when the server was not reached. */
  code: string | undefined;
  /** The portal's own code (AppError), e.g. "CEILING_EXCEEDED". */
  appCode: string | undefined;
  message: string;
  fields: FieldError[];
  network: boolean;
}

interface ErrorData {
  code?: unknown;
  appCode?: unknown;
  fields?: unknown;
}

function dataOf(err: unknown): ErrorData | undefined {
  if (typeof err !== "object" || err === null || !("data" in err)) return undefined;
  const data = (err as { data: unknown }).data;
  return typeof data === "object" && data !== null ? (data as ErrorData) : undefined;
}

/** "name: already taken" → "already taken" when the field is named separately. */
function withoutFieldPrefix(message: string, field: string): string {
  const prefix = `${field}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/**
 * Field errors come in two shapes: zod issues (an array of {field, message}) and an AppError's
 * details naming one field ({field}); the latter carries its text in the error message.
 */
export function fieldErrors(fields: unknown, message: string): FieldError[] {
  if (Array.isArray(fields)) {
    return fields.flatMap((f: unknown) => {
      if (typeof f !== "object" || f === null) return [];
      const { field, message: m } = f as { field?: unknown; message?: unknown };
      return typeof field === "string" && typeof m === "string" ? [{ field, message: m }] : [];
    });
  }
  if (typeof fields === "object" && fields !== null && typeof (fields as { field?: unknown }).field === "string") {
    const field = (fields as { field: string }).field;
    return [{ field, message: withoutFieldPrefix(message, field) }];
  }
  return [];
}

export function describeError(err: unknown): ErrorInfo {
  const data = dataOf(err);
  const message = err instanceof Error ? err.message : typeof err === "string" ? err : "";
  const code = typeof data?.code === "string" ? data.code : undefined;
  const appCode = typeof data?.appCode === "string" ? data.appCode : undefined;
  return {
    code,
    appCode,
    message,
    fields: fieldErrors(data?.fields, message),
    // No data means the reply never came (fetch failed) or was not the API's.
    network: data === undefined,
  };
}

export function isUnauthorized(err: unknown): boolean {
  return dataOf(err)?.code === "UNAUTHORIZED";
}

/** Retries only what may succeed on a second try: network failures and server errors. */
export function shouldRetry(failureCount: number, err: unknown): boolean {
  if (failureCount >= 2) return false;
  const code = dataOf(err)?.code;
  return code === undefined || code === "INTERNAL_SERVER_ERROR" || code === "TIMEOUT";
}
