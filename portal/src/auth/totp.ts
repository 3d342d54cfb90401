import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import * as OTPAuth from "otpauth";

/** RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30 s. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ISSUER = "Zhengyun 政云";

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpFor(secretBase32: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

export const timeStep = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/**
 * The time step a code belongs to when it is valid within one step of `now` and newer than the
 * last accepted step (a code is good once: a replay within its window is refused), else null.
 */
export function acceptTotp(secretBase32: string, code: string, lastStep: number | null, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, "x").validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = timeStep(now) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten codes like "k3mq7-x9tfa" (about 50 bits each), shown once. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]);
    return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
  });
}

export const normaliseRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/\s+/g, "");
export const looksLikeRecoveryCode = (code: string) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(normaliseRecoveryCode(code));

/** "salt.sha256(salt ‖ code)", hex. */
export function hashRecoveryCode(code: string): string {
  const salt = randomBytes(16).toString("hex");
  return `${salt}.${createHash("sha256").update(salt).update(normaliseRecoveryCode(code)).digest("hex")}`;
}

export function recoveryCodeMatches(stored: string, code: string): boolean {
  const [salt, hash] = stored.split(".");
  if (!salt || !hash) return false;
  const candidate = createHash("sha256").update(salt).update(normaliseRecoveryCode(code)).digest();
  const expected = Buffer.from(hash, "hex");
  return expected.length === candidate.length && timingSafeEqual(expected, candidate);
}
