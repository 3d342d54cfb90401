/**
 * A real OpenID Provider (oidc-provider) on a loopback port, standing in for the government SSO.
 * Interactions are answered by the test itself: the login prompt signs in the account named by
 * `nextLogin`, the consent prompt grants what the client asked for.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface IdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts known to the provider, by subject. */
  accounts: Map<string, { preferred_username: string; name?: string }>;
  /** The subject the next login interaction signs in. */
  nextLogin: string | undefined;
  /** The authentication methods the next login reports (`amr`), e.g. ["pwd", "otp"]. */
  nextAmr: string[] | undefined;
  /** Prompts answered so far, in order ("login", "consent"). */
  prompts: string[];
  close(): Promise<void>;
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export const closeServer = (server: Server) =>
  new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((err) => (err ? reject(err) : resolve()));
  });

export async function startIdentityProvider(opts: { redirectUri: string }): Promise<IdentityProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;

  const idp: IdentityProvider = {
    issuer,
    clientId: "zhengyun-portal",
    clientSecret: randomBytes(24).toString("base64url"),
    accounts: new Map(),
    nextLogin: undefined,
    nextAmr: undefined,
    prompts: [],
    close: () => closeServer(server),
  };

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    // amr travels in the ID token with the openid scope, as a government SSO reports its second factor.
    claims: { openid: ["sub", "acr", "amr"], profile: ["preferred_username", "name"] },
    features: { devInteractions: { enabled: false } },
    ttl: { Session: 3600, Grant: 3600, Interaction: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = idp.accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
  });
  const providerCallback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    idp.prompts.push(details.prompt.name);
    if (details.prompt.name === "login") {
      if (!idp.nextLogin) throw new Error("no account set for the login prompt");
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: idp.nextLogin, ...(idp.nextAmr ? { amr: idp.nextAmr } : {}) } },
        { mergeWithLastSubmission: false },
      );
    }
    if (details.prompt.name === "consent") {
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error("consent prompt without a signed-in account");
      const grant = (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId, clientId: details.params.client_id });
      grant.addOIDCScope("openid profile");
      if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    throw new Error(`unexpected prompt ${details.prompt.name}`);
  }

  handler = (req, res) => {
    if (req.method === "GET" && req.url?.startsWith("/interaction/")) {
      interaction(req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`interaction failed: ${err.message}`);
      });
      return;
    }
    providerCallback(req, res);
  };
  return idp;
}
