import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type AuthPolicy, DEFAULT_AUTH_POLICY } from "../auth/policy.js";
import { deriveSecretKey } from "../auth/secrets.js";

const env = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** The schema owner's URL: migrations run as it and grant the runtime role (DATABASE_URL's) its part. */
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  /** Connections the portal keeps to PostgreSQL (default 20); a server of few cores does as well with fewer. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  /** The runtime role granted by migrations; default: DATABASE_URL's user. */
  ZHENGYUN_RUNTIME_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_$]{0,62}$/)
    .optional(),
  /** The audit chain's digest for new entries. */
  ZHENGYUN_AUDIT_HASH: z.enum(["sha256", "sm3"]).default("sha256"),
  /** Fastify's trustProxy: "true", a hop count, or addresses/CIDRs of the proxies; unset: off. */
  TRUST_PROXY: z.string().optional(),
  /** /metrics listens here, apart from the application's port ("0" picks a free port, "off" none). */
  METRICS_PORT: z
    .string()
    .regex(/^(off|\d{1,5})$/)
    .default("9463"),
  METRICS_HOST: z.string().default("127.0.0.1"),
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
  RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_LOGIN_PER_ACCOUNT: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_MUTATION_PER_IP: z.coerce.number().int().min(1).default(300),
  RATE_LIMIT_MUTATION_PER_ACCOUNT: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  ZHENGYUN_DATA_DIR: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  COOKIE_SECRET: z.string().min(32).optional(),
  SECURE_COOKIES: z.enum(["true", "false"]).default("false"),
  /** Seed the demo into an empty database at start-up ("demo"), or never ("none"). */
  ZHENGYUN_SEED: z.enum(["demo", "none"]).optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_REDIRECT_URI: z.string().url().optional(),
  /** Who signs in with a second factor (TOTP): the platform roles, or every account. */
  ZHENGYUN_MFA: z.enum(["platform", "all"]).default("platform"),
  /** Secret the key sealing TOTP secrets at rest is derived from (HKDF-SHA256); at least 32 characters. */
  ZHENGYUN_SECRET_KEY: z.string().min(32).optional(),
  ZHENGYUN_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(10),
  ZHENGYUN_PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(3),
  ZHENGYUN_PASSWORD_HISTORY: z.coerce.number().int().min(1).max(24).default(5),
  /** Days before a password must be changed at sign-in; 0 = never. */
  ZHENGYUN_PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  ZHENGYUN_MAX_SESSIONS: z.coerce.number().int().min(1).max(100).default(3),
  /** Comma-separated OIDC amr (or acr) values that count as the provider's second factor, e.g. "mfa,otp". */
  OIDC_MFA_AMR: z.string().default(""),
  EXPIRY_SWEEP_SECONDS: z.coerce.number().int().min(10).default(300),
  UI_DIR: z.string().optional(),
  /** Build the web UI at start when it is missing or older than its sources ("auto"), or never ("off"). */
  ZHENGYUN_UI_BUILD: z.enum(["auto", "off"]).optional(),
  /** First system administrator, created only while the database has none (production installs). */
  ZHENGYUN_ADMIN_USERNAME: z
    .string()
    .regex(/^[a-z0-9._-]{3,64}$/)
    .optional(),
  ZHENGYUN_ADMIN_PASSWORD: z.string().min(12).optional(),
  ZHENGYUN_PLATFORM_DEPARTMENT: z.string().default("platform"),
  /** The highest protection level the platform hosts (read by the services; checked here at start-up). */
  ZHENGYUN_MAX_LEVEL: z.coerce.number().int().min(1).max(4).default(4),
  /** Notification mail: an smtp:// or smtps:// URL, or SMTP_HOST/SMTP_PORT; unset: no mail. */
  SMTP_URL: z.string().url().optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  SMTP_FROM: z.string().default("zhengyun@localhost"),
  /** The portal's address as people open it, for links in mail and webhook messages. */
  ZHENGYUN_PUBLIC_URL: z.string().url().optional(),
  /** How often mail and webhook messages are sent and the database is read for new facts. */
  NOTIFY_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(15),
});

export type PortalConfig = ReturnType<typeof loadConfig>;

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid portal configuration:\n${lines}`);
  }
  const c = parsed.data;
  const oidcParts = [c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET, c.OIDC_REDIRECT_URI];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean))
    throw new Error("invalid portal configuration: OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI together");
  if (Boolean(c.ZHENGYUN_ADMIN_USERNAME) !== Boolean(c.ZHENGYUN_ADMIN_PASSWORD))
    throw new Error("invalid portal configuration: ZHENGYUN_ADMIN_USERNAME and ZHENGYUN_ADMIN_PASSWORD go together");
  if (c.MIGRATION_DATABASE_URL && !c.DATABASE_URL)
    throw new Error("invalid portal configuration: MIGRATION_DATABASE_URL needs DATABASE_URL (the runtime role)");
  const cookieSecret = c.COOKIE_SECRET ?? randomBytes(32).toString("hex");
  const policy: AuthPolicy = {
    ...DEFAULT_AUTH_POLICY,
    maxSessions: c.ZHENGYUN_MAX_SESSIONS,
    mfa: c.ZHENGYUN_MFA,
    mfaAmr: c.OIDC_MFA_AMR.split(",")
      .map((v) => v.trim())
      .filter(Boolean),
    password: {
      minLength: c.ZHENGYUN_PASSWORD_MIN_LENGTH,
      minClasses: c.ZHENGYUN_PASSWORD_MIN_CLASSES,
      history: c.ZHENGYUN_PASSWORD_HISTORY,
      maxAgeMs: c.ZHENGYUN_PASSWORD_MAX_AGE_DAYS * 86_400_000,
    },
    // Without ZHENGYUN_SECRET_KEY the key follows COOKIE_SECRET; with neither, it lives as long as
    // the process (enrolments then do not survive a restart).
    secretKey: deriveSecretKey(c.ZHENGYUN_SECRET_KEY ?? cookieSecret),
  };
  return {
    ...c,
    cookieSecret,
    policy,
    secretKeySource: c.ZHENGYUN_SECRET_KEY ? "ZHENGYUN_SECRET_KEY" : c.COOKIE_SECRET ? "COOKIE_SECRET" : "ephemeral",
    // Images ship the UI built (NODE_ENV=production); a checkout builds it on first start.
    uiBuild: c.ZHENGYUN_UI_BUILD ?? (source.NODE_ENV === "production" ? "off" : "auto"),
    seed: seedChoice(c),
    smtp: c.SMTP_URL ?? (c.SMTP_HOST ? { host: c.SMTP_HOST, port: c.SMTP_PORT, secure: c.SMTP_PORT === 465 } : undefined),
    publicUrl: c.ZHENGYUN_PUBLIC_URL ?? `http://${c.HOST === "0.0.0.0" || c.HOST === "::" ? "127.0.0.1" : c.HOST}:${c.PORT}`,
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    rateLimits: {
      loginPerIp: c.RATE_LIMIT_LOGIN_PER_IP,
      loginPerAccount: c.RATE_LIMIT_LOGIN_PER_ACCOUNT,
      mutationPerIp: c.RATE_LIMIT_MUTATION_PER_IP,
      mutationPerAccount: c.RATE_LIMIT_MUTATION_PER_ACCOUNT,
      windowMs: c.RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
    oidc: c.OIDC_ISSUER
      ? {
          issuer: c.OIDC_ISSUER,
          clientId: c.OIDC_CLIENT_ID!,
          clientSecret: c.OIDC_CLIENT_SECRET!,
          redirectUri: c.OIDC_REDIRECT_URI!,
          allowInsecure: c.OIDC_ISSUER.startsWith("http://"),
        }
      : undefined,
  };
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
export const isLoopback = (host: string) => LOOPBACK.has(host) || host.startsWith("127.");

/**
 * Whether to seed the demo (with its published passwords) into an empty database: when asked
 * (ZHENGYUN_SEED), or on the embedded database while listening on loopback only. A portal without
 * DATABASE_URL listening on every interface (a container) does not seed unless asked.
 */
export function seedChoice(c: { ZHENGYUN_SEED?: "demo" | "none" | undefined; DATABASE_URL?: string | undefined; HOST: string }): {
  seed: "demo" | "none";
  why: string;
} {
  if (c.ZHENGYUN_SEED) return { seed: c.ZHENGYUN_SEED, why: `ZHENGYUN_SEED=${c.ZHENGYUN_SEED}` };
  if (c.DATABASE_URL) return { seed: "none", why: "a PostgreSQL server is configured" };
  if (isLoopback(c.HOST)) return { seed: "demo", why: `embedded database listening on loopback (${c.HOST})` };
  return {
    seed: "none",
    why: `not seeding the demo accounts (published passwords) while listening on ${c.HOST}; set ZHENGYUN_SEED=demo to seed them anyway`,
  };
}

/** TRUST_PROXY as Fastify takes it: true/false, a hop count, or a list of addresses and CIDRs. */
export function parseTrustProxy(v: string | undefined): boolean | number | string {
  if (v === undefined || v === "" || v === "false") return false;
  if (v === "true") return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
