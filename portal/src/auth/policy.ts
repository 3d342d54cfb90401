import { randomBytes } from "node:crypto";

/** Which accounts must pass a second factor: the platform roles, or everyone. */
export type MfaScope = "platform" | "all";

/** Password rules (MLPS 2.0 8.1.4.1 a: 口令复杂度 and 定期更换). */
export interface PasswordPolicy {
  minLength: number;
  /** Of lower case, upper case, digits and other characters, how many a password must use. */
  minClasses: number;
  /** How many earlier passwords (the current one included) a new one may not repeat. */
  history: number;
  /** A password older than this must be changed at sign-in; 0 = never expires. */
  maxAgeMs: number;
}

/** Session, lockout and identity policy (MLPS 2.0 安全计算环境: 身份鉴别, 登录失败处理, 连接超时自动退出). */
export interface AuthPolicy {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  maxFailedLogins: number;
  lockoutMs: number;
  /** Sessions one account may hold at once; a new sign-in ends the oldest beyond this. */
  maxSessions: number;
  mfa: MfaScope;
  /** OIDC `amr` values (or an `acr` value) that count as a second factor done at the provider; empty = none do. */
  mfaAmr: readonly string[];
  password: PasswordPolicy;
  /** How long a sign-in may sit between its steps (second factor, password change, enrolment). */
  challengeTtlMs: number;
  /** AES-256-GCM key sealing TOTP secrets at rest (auth/secrets.ts). */
  secretKey: Buffer;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 10, minClasses: 3, history: 5, maxAgeMs: 90 * 86_400_000 };

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 3600_000,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
  maxSessions: 3,
  mfa: "platform",
  mfaAmr: [],
  password: DEFAULT_PASSWORD_POLICY,
  challengeTtlMs: 10 * 60_000,
  // A key of this process only; a deployment configures ZHENGYUN_SECRET_KEY (server/config.ts).
  secretKey: randomBytes(32),
};

export const SESSION_COOKIE = "zy_session";
/** The sign-in in progress between its first and last step. */
export const SIGN_IN_COOKIE = "zy_signin";
