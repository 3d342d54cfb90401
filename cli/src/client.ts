import type { CliConfig } from "./config.js";
import { EXIT, exitCodeForStatus } from "./exit-codes.js";
import { t } from "./i18n.js";

/** A failure with the exit code it maps to; `problem` is the portal's problem document when there is one. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly problem?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string, query?: Record<string, string | number | boolean | string[] | undefined>): Promise<T>;
  send<T>(method: "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T>;
}

/** Calls the REST API as the logged-in caller; a problem document becomes a CliError with its exit code. */
export function apiClient(config: CliConfig, fetchImpl: typeof fetch = fetch): Api & { raw(method: string, path: string, body?: unknown): Promise<Response> } {
  const headers = (): Record<string, string> => {
    if (config.token) return { authorization: `Bearer ${config.token}` };
    if (config.session) return { cookie: `zy_session=${config.session}` };
    return {};
  };
  const raw = async (method: string, path: string, body?: unknown) => {
    try {
      return await fetchImpl(new URL(path, config.url), {
        method,
        headers: { accept: "application/json", ...headers(), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new CliError(t("unreachable", { url: config.url, error: (err as Error).message }), EXIT.ERROR);
    }
  };
  const read = async <T>(res: Response): Promise<T> => {
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const problem = (json ?? {}) as Record<string, unknown>;
      const detail = typeof problem.detail === "string" ? problem.detail : res.statusText;
      throw new CliError(`${problem.code ?? res.status}: ${detail}`, exitCodeForStatus(res.status), problem);
    }
    return json as T;
  };
  return {
    raw,
    async get(path, query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
      }
      return read(await raw("GET", `/api/v1${path}${qs.size ? `?${qs}` : ""}`));
    },
    async send(method, path, body) {
      return read(await raw(method, `/api/v1${path}`, body));
    },
  };
}
