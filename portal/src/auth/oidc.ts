import { appendAudit } from "@zhengyun/db/audit/append";
import type { Db } from "@zhengyun/db/client";
import { AppError } from "@zhengyun/db/errors";
import { users } from "@zhengyun/db/schema";
import { and, eq, isNull } from "drizzle-orm";
import * as client from "openid-client";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The portal's callback URL registered at the identity provider. */
  redirectUri: string;
  /** Allow an http:// issuer (a test or intranet provider without TLS). */
  allowInsecure?: boolean;
}

/** Per-login values kept in a signed, short-lived cookie between redirect and callback. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
}

export class OidcLogin {
  private constructor(
    private readonly config: client.Configuration,
    private readonly settings: OidcSettings,
  ) {}

  static async discover(settings: OidcSettings): Promise<OidcLogin> {
    const config = await client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      settings.clientSecret,
      undefined,
      settings.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    return new OidcLogin(config, settings);
  }

  get issuer(): string {
    return this.config.serverMetadata().issuer;
  }

  async start(): Promise<{ url: URL; pending: PendingLogin }> {
    const pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUri,
      scope: "openid profile",
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: "S256",
    });
    return { url, pending };
  }

  /** Exchanges the code and returns the verified ID token claims. */
  async finish(callbackUrl: URL, pending: PendingLogin) {
    // The code is bound to the registered redirect URI, which a proxy's Host rewrite must not change.
    const registered = new URL(this.settings.redirectUri);
    registered.search = callbackUrl.search;
    const tokens = await client.authorizationCodeGrant(this.config, registered, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new AppError("UNAUTHENTICATED", "the identity provider returned no ID token");
    if (claims.preferred_username !== undefined) return claims;
    // OIDC Core §5.4: with an access token issued, profile claims come from UserInfo, not the ID token.
    const userinfo = await client.fetchUserInfo(this.config, tokens.access_token, claims.sub);
    return { ...claims, preferred_username: userinfo.preferred_username };
  }
}

/**
 * Finds the local account for an SSO identity: by (issuer, subject) once linked, and nothing
 * else. The first SSO login links only an account the system admin marked for SSO with the
 * provider username now presented (`preferred_username`); no account, privileged or not, is ever
 * linked because its own username happens to match.
 */
export async function accountForIdentity(
  db: Db,
  issuer: string,
  claims: { sub: string; preferred_username?: unknown },
  correlationId: string,
): Promise<string> {
  return db.transaction(async (tx) => {
    const [linked] = await tx
      .select({ id: users.id, disabled: users.disabled })
      .from(users)
      .where(and(eq(users.oidcIssuer, issuer), eq(users.oidcSubject, claims.sub)));
    let userId = linked?.id;
    if (linked?.disabled) throw new AppError("FORBIDDEN", "this account is disabled");
    if (!userId && typeof claims.preferred_username === "string") {
      const [candidate] = await tx
        .update(users)
        .set({ oidcIssuer: issuer, oidcSubject: claims.sub, ssoUsername: null })
        .where(and(eq(users.ssoUsername, claims.preferred_username), isNull(users.oidcSubject), eq(users.disabled, false)))
        .returning({ id: users.id });
      userId = candidate?.id;
      if (userId)
        await appendAudit(tx, {
          actorId: userId,
          actorName: claims.preferred_username,
          actorRole: null,
          action: "auth.sso_linked",
          targetType: "user",
          targetId: userId,
          after: { issuer, subject: claims.sub },
          correlationId,
          at: new Date(),
        });
    }
    if (!userId) throw new AppError("FORBIDDEN", "no portal account is provisioned for this SSO identity; ask your system administrator");
    await appendAudit(tx, {
      actorId: userId,
      actorName: String(claims.preferred_username ?? claims.sub),
      actorRole: null,
      action: "auth.login",
      targetType: "user",
      targetId: userId,
      after: { method: "oidc", issuer },
      correlationId,
      at: new Date(),
    });
    return userId;
  });
}
