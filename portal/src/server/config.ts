import { randomBytes } from "node:crypto";
import { z } from "zod";

const env = z.object({
  DATABASE_URL: z.string().url().optional(),
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
  EXPIRY_SWEEP_SECONDS: z.coerce.number().int().min(10).default(300),
  UI_DIR: z.string().optional(),
  /** First system administrator, created only while the database has none (production installs). */
  ZHENGYUN_ADMIN_USERNAME: z
    .string()
    .regex(/^[a-z0-9._-]{3,64}$/)
    .optional(),
  ZHENGYUN_ADMIN_PASSWORD: z.string().min(12).optional(),
  ZHENGYUN_PLATFORM_DEPARTMENT: z.string().default("platform"),
  /** The highest protection level the platform hosts (read by the services; checked here at start-up). */
  ZHENGYUN_MAX_LEVEL: z.coerce.number().int().min(1).max(4).default(4),
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
  return {
    ...c,
    cookieSecret: c.COOKIE_SECRET ?? randomBytes(32).toString("hex"),
    // The embedded database is for trying the product: it seeds the demo unless told not to.
    seed: c.ZHENGYUN_SEED ?? (c.DATABASE_URL ? "none" : "demo"),
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
