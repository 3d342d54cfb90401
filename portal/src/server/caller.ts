import type { Db } from "@zhengyun/db/client";
import type { Actor } from "@zhengyun/db/context";
import { bearerToken, resolveApiToken } from "../auth/api-tokens.js";
import type { AuthPolicy } from "../auth/policy.js";
import { resolveSession } from "../auth/sessions.js";

/**
 * Who is calling, for tRPC and REST alike: an `Authorization: Bearer zy_…` API token when one is
 * sent (and then only it: a bad token is not rescued by a cookie), else the session cookie.
 */
export async function resolveCaller(db: Db, authorization: string | undefined, sessionToken: string | undefined, policy: AuthPolicy): Promise<Actor | null> {
  if (authorization !== undefined && /^Bearer\s/i.test(authorization)) {
    const secret = bearerToken(authorization);
    return secret ? resolveApiToken(db, secret) : null;
  }
  return resolveSession(db, sessionToken, policy);
}
