import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The 32-byte key for sealing secrets at rest, derived with HKDF-SHA256 from the configured
 * secret (ZHENGYUN_SECRET_KEY), so any long random string works and the key is never used raw.
 */
export function deriveSecretKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "zhengyun", "zhengyun totp secrets v1", 32));
}

/**
 * AES-256-GCM with a random 96-bit IV; `context` (the account id) is authenticated with it, so a
 * sealed value copied onto another account does not open. Format: v1.<iv>.<tag>.<ciphertext>.
 */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The plaintext, or throws when the value was not sealed by this key for this context. */
export function unseal(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/**
 * For the embedded database only, when no secret is configured: a random secret kept in a file
 * (mode 0600) inside the database folder, so enrolments survive a restart of the trial install.
 */
export function secretFromFile(dir: string): string {
  const file = path.join(dir, "zhengyun-secret.key");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  return readFileSync(file, "utf8").trim();
}
