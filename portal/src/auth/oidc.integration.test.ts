import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Database } from "@zhengyun/db/client";
import { auditLog, sessions, users } from "@zhengyun/db/schema";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../../test/auth/browser.js";
import { closeServer, type IdentityProvider, listen, startIdentityProvider } from "../../test/auth/identity-provider.js";
import { makeDepartment, makeUser, testDatabase, unique } from "../../test/harness.js";
import { buildApp } from "../server/app.js";
import { OidcLogin } from "./oidc.js";
import { DEFAULT_AUTH_POLICY, SESSION_COOKIE, SIGN_IN_COOKIE } from "./policy.js";
import { tokenHash } from "./sessions.js";

let db: Database;
let idp: IdentityProvider;
let app: FastifyInstance;
let portal: string;
let redirectUri: string;
const portalServer = createServer((req, res) => portalHandler(req, res));
let portalHandler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();

beforeAll(async () => {
  db = await testDatabase();
  // The provider must know the portal's redirect URI and the portal must discover the provider,
  // so the portal's port is taken first and handed to the app once it is built.
  const port = await listen(portalServer);
  portal = `http://127.0.0.1:${port}`;
  redirectUri = `${portal}/auth/oidc/callback`;
  idp = await startIdentityProvider({ redirectUri });
  const oidc = await OidcLogin.discover({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, redirectUri, allowInsecure: true });
  // The provider's own second factor counts when it reports amr "otp".
  const policy = { ...DEFAULT_AUTH_POLICY, mfaAmr: ["otp"] };
  app = await buildApp({ db: db.db, logger: false, cookieSecret: randomBytes(32).toString("hex"), oidc, policy });
  await app.ready();
  portalHandler = (req, res) => app.routing(req, res);
});

afterAll(async () => {
  await closeServer(portalServer);
  await app?.close();
  await idp?.close();
});

/** An account at the provider whose next login is `preferredUsername` (reporting `amr` when given). */
function identity(preferredUsername: string, amr?: string[]) {
  const sub = unique("sub-");
  idp.accounts.set(sub, { preferred_username: preferredUsername, name: `SSO ${preferredUsername}` });
  idp.nextLogin = sub;
  idp.nextAmr = amr;
  return sub;
}

/** The system admin marks an account for SSO with the provider username expected at its first SSO login. */
async function markForSso(userId: string, ssoUsername: string) {
  await db.db.update(users).set({ ssoUsername }).where(eq(users.id, userId));
}

const atPortal = (path: string) => (next: URL) => next.origin === portal && next.pathname === path;

/** Walks from the portal's SSO entry through the provider until the provider sends the browser back. */
async function toCallback(browser: Browser) {
  const walk = await browser.follow(`${portal}/auth/oidc/login`, atPortal("/auth/oidc/callback"));
  expect(walk.stoppedAt, "the provider redirects back to the portal's callback").toBeDefined();
  return walk.stoppedAt as URL;
}

async function me(browser: Browser) {
  const res = await browser.request(`${portal}/trpc/auth.me`);
  return { status: res.status, body: (await res.json()) as { result?: { data: { id: string; username: string } }; error?: { data: { code: string } } } };
}

async function auditFor(userId: string, actions: string[]) {
  return db.db
    .select({ action: auditLog.action, actorId: auditLog.actorId, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "user"), eq(auditLog.targetId, userId), inArray(auditLog.action, actions)))
    .orderBy(asc(auditLog.seq));
}

describe("SSO login through a real OpenID Provider", () => {
  it("links the account marked for SSO on first login, signs it in, and reuses the link afterwards", async () => {
    const dept = await makeDepartment(db);
    const user = await makeUser(db, dept.id, ["applicant"]);
    // The provider's username need not equal the portal's: the administrator names the one expected.
    const providerName = unique("idp.");
    await markForSso(user.id, providerName);
    const sub = identity(providerName);
    const browser = new Browser();

    // The portal sends the browser to the provider with a signed, lax, short-lived state cookie.
    const start = await browser.request(`${portal}/auth/oidc/login`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location") ?? "");
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get("redirect_uri")).toBe(redirectUri);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")).toBe("openid profile");
    const pending = browser.cookie(portal, "zy_oidc");
    expect(pending?.attributes.get("httponly")).toBe(true);
    expect(String(pending?.attributes.get("samesite")).toLowerCase()).toBe("lax");
    expect(decodeURIComponent(pending?.value ?? "")).toContain(authorize.searchParams.get("state"));

    // Provider: login and consent prompts, answered by the test's interaction endpoint.
    const walk = await browser.follow(authorize, atPortal("/auth/oidc/callback"));
    expect(idp.prompts.slice(-2)).toEqual(["login", "consent"]);
    const callback = walk.stoppedAt as URL;
    expect(callback.searchParams.get("state")).toBe(authorize.searchParams.get("state"));
    expect(callback.searchParams.get("code")).toBeTruthy();

    // Portal: exchanges the code, sets the session cookie and sends the browser home.
    const done = await browser.request(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/");
    const session = browser.cookie(portal, SESSION_COOKIE);
    expect(session).toBeDefined();
    expect(session?.attributes.get("httponly")).toBe(true);
    expect(String(session?.attributes.get("samesite")).toLowerCase()).toBe("strict");
    expect(session?.path).toBe("/");
    expect(browser.cookie(portal, "zy_oidc"), "the one-time state cookie is cleared").toBeUndefined();

    const [stored] = await db.db
      .select({ userId: sessions.userId })
      .from(sessions)
      .where(eq(sessions.tokenHash, tokenHash(session?.value ?? "")));
    expect(stored?.userId).toBe(user.id);
    const signedIn = await me(browser);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.result?.data).toMatchObject({ id: user.id, username: user.username, roles: ["applicant"] });

    const [linked] = await db.db
      .select({ issuer: users.oidcIssuer, subject: users.oidcSubject, ssoUsername: users.ssoUsername })
      .from(users)
      .where(eq(users.id, user.id));
    // Linked, and the mark is spent: from now on only (issuer, subject) finds the account.
    expect(linked).toEqual({ issuer: idp.issuer, subject: sub, ssoUsername: null });
    expect(await auditFor(user.id, ["auth.sso_linked", "auth.login"])).toEqual([
      { action: "auth.sso_linked", actorId: user.id, after: { issuer: idp.issuer, subject: sub } },
      { action: "auth.login", actorId: user.id, after: { method: "oidc", issuer: idp.issuer } },
    ]);

    // A second login (another browser, so the provider asks again) finds the account by the link,
    // even once the provider reports another username.
    idp.accounts.set(sub, { preferred_username: unique("renamed."), name: "renamed" });
    const second = new Browser();
    idp.nextLogin = sub;
    const again = await second.request(await toCallback(second));
    expect(again.headers.get("location")).toBe("/");
    expect(second.cookie(portal, SESSION_COOKIE)?.value).not.toBe(session?.value);
    expect((await me(second)).body.result?.data.id).toBe(user.id);
    expect((await auditFor(user.id, ["auth.sso_linked", "auth.login"])).map((e) => e.action)).toEqual(["auth.sso_linked", "auth.login", "auth.login"]);

    // Another identity presenting the first username finds nothing: the mark was used once.
    identity(providerName);
    const impostor = new Browser();
    expect((await impostor.request(await toCallback(impostor))).headers.get("location")).toBe("/login?error=sso_no_account");
  });

  it("never links an account by its username alone, privileged or not", async () => {
    const dept = await makeDepartment(db);
    for (const role of ["applicant", "sysadmin", "security", "ops"] as const) {
      const user = await makeUser(db, dept.id, [role]);
      identity(user.username);
      const browser = new Browser();
      expect((await browser.request(await toCallback(browser))).headers.get("location"), role).toBe("/login?error=sso_no_account");
      expect(browser.cookie(portal, SESSION_COOKIE)).toBeUndefined();
      const [row] = await db.db.select({ subject: users.oidcSubject }).from(users).where(eq(users.id, user.id));
      expect(row?.subject).toBeNull();
    }
  });

  it("asks a platform role for a second factor unless the provider reports one the configuration accepts", async () => {
    const dept = await makeDepartment(db);
    const ops = await makeUser(db, dept.id, ["ops"]);
    await markForSso(ops.id, ops.username);
    const sub = identity(ops.username, ["pwd"]);
    const browser = new Browser();
    const pending = await browser.request(await toCallback(browser));
    // Password only at the provider: no session; the sign-in continues at enrolment.
    expect(pending.headers.get("location")).toBe("/login?step=enrol_totp");
    expect(browser.cookie(portal, SESSION_COOKIE)).toBeUndefined();
    expect(browser.cookie(portal, SIGN_IN_COOKIE)).toBeDefined();
    expect((await me(browser)).status).toBe(401);

    idp.nextLogin = sub;
    idp.nextAmr = ["pwd", "otp"];
    const strong = new Browser();
    const done = await strong.request(await toCallback(strong));
    expect(done.headers.get("location")).toBe("/");
    expect((await me(strong)).body.result?.data.id).toBe(ops.id);
  });

  it("refuses an identity with no account marked for it, and does not link a disabled one", async () => {
    const nobody = identity(unique("nobody"));
    const browser = new Browser();
    const refused = await browser.request(await toCallback(browser));
    expect(refused.status).toBe(302);
    expect(refused.headers.get("location")).toBe("/login?error=sso_no_account");
    expect(browser.cookie(portal, SESSION_COOKIE)).toBeUndefined();
    expect((await me(browser)).status).toBe(401);
    expect(await db.db.select({ id: users.id }).from(users).where(eq(users.oidcSubject, nobody))).toEqual([]);

    const dept = await makeDepartment(db);
    const disabled = await makeUser(db, dept.id, ["applicant"]);
    await markForSso(disabled.id, disabled.username);
    await db.db.update(users).set({ disabled: true }).where(eq(users.id, disabled.id));
    identity(disabled.username);
    const other = new Browser();
    const refusedDisabled = await other.request(await toCallback(other));
    expect(refusedDisabled.headers.get("location")).toBe("/login?error=sso_no_account");
    expect(other.cookie(portal, SESSION_COOKIE)).toBeUndefined();
    const [row] = await db.db.select({ subject: users.oidcSubject }).from(users).where(eq(users.id, disabled.id));
    expect(row?.subject).toBeNull();
    expect(await auditFor(disabled.id, ["auth.sso_linked", "auth.login"])).toEqual([]);
  });

  it("accepts a callback only with the signed state cookie of the same login, and only once", async () => {
    const dept = await makeDepartment(db);
    const user = await makeUser(db, dept.id, ["applicant"]);
    await markForSso(user.id, user.username);
    identity(user.username);
    const browser = new Browser();
    const callback = await toCallback(browser);
    const pending = browser.cookie(portal, "zy_oidc");
    expect(pending).toBeDefined();
    const original = pending?.value ?? "";
    const withPending = async (value: string | undefined) => {
      if (value !== undefined) browser.setCookie(portal, "zy_oidc", value);
      const res = await browser.request(callback);
      expect(browser.cookie(portal, SESSION_COOKIE)).toBeUndefined();
      return res.headers.get("location");
    };

    // Same signature, different state: the signature no longer matches.
    const state = callback.searchParams.get("state") ?? "";
    const tampered = encodeURIComponent(decodeURIComponent(original).replace(state, `${state.slice(0, -2)}xx`));
    expect(tampered).not.toBe(original);
    expect(await withPending(tampered)).toBe("/login?error=sso_state");
    // The refusal cleared the cookie; without it the callback is refused too.
    expect(browser.cookie(portal, "zy_oidc")).toBeUndefined();
    expect(await withPending(undefined)).toBe("/login?error=sso_state");

    // A genuine cookie of another login (as when an attacker plants their callback URL): state mismatch.
    await browser.request(`${portal}/auth/oidc/login`);
    const another = browser.cookie(portal, "zy_oidc")?.value;
    expect(another).toBeDefined();
    expect(another).not.toBe(original);
    expect(await withPending(undefined)).toBe("/login?error=sso_failed");

    // The untouched code with its own cookie still works: the refusals above were about the state.
    browser.setCookie(portal, "zy_oidc", original);
    const ok = await browser.request(callback);
    expect(ok.headers.get("location")).toBe("/");
    expect((await me(browser)).body.result?.data.id).toBe(user.id);

    // Replaying the same callback is refused: the provider redeems a code once.
    const replay = new Browser();
    replay.setCookie(portal, "zy_oidc", original);
    expect((await replay.request(callback)).headers.get("location")).toBe("/login?error=sso_failed");
    expect(replay.cookie(portal, SESSION_COOKIE)).toBeUndefined();
    expect((await auditFor(user.id, ["auth.login"])).length).toBe(1);
  });

  it("completes the callback behind a reverse proxy that rewrites the Host header", async () => {
    const dept = await makeDepartment(db);
    const user = await makeUser(db, dept.id, ["applicant"]);
    await markForSso(user.id, user.username);
    identity(user.username);
    const browser = new Browser();
    const callback = await toCallback(browser);
    // As nginx forwards by default (proxy_set_header Host $proxy_host, no X-Forwarded-Host).
    const res = await app.inject({
      method: "GET",
      url: `${callback.pathname}${callback.search}`,
      headers: { host: "portal-upstream:3000" },
      cookies: { zy_oidc: decodeURIComponent(browser.cookie(portal, "zy_oidc")?.value ?? "") },
    });
    expect(res.headers.location).toBe("/");
    expect(res.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBeTruthy();
  });
});
