import { describe, expect, it } from "vitest";
import { passwordExpired, passwordProblems, temporaryPassword } from "./password-rules.js";
import { DEFAULT_AUTH_POLICY, DEFAULT_PASSWORD_POLICY } from "./policy.js";
import { seal, unseal } from "./secrets.js";
import { nextStep, providerDidMfa } from "./sign-in.js";
import { acceptTotp, hashRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryCodeMatches, timeStep, totpFor } from "./totp.js";

const now = new Date("2026-06-01T08:00:00Z");
const fresh = { totpEnabledAt: null, mustChangePassword: false, passwordChangedAt: now };

describe("the order of sign-in steps", () => {
  it("asks the second factor first, then a forced password change, then enrolment", () => {
    const enrolled = { ...fresh, totpEnabledAt: now, mustChangePassword: true };
    const pw = (secondFactorDone: boolean) => ({ method: "password" as const, secondFactorDone });
    expect(nextStep(enrolled, ["ops"], pw(false), DEFAULT_AUTH_POLICY, now)).toBe("totp");
    expect(nextStep(enrolled, ["ops"], pw(true), DEFAULT_AUTH_POLICY, now)).toBe("change_password");
    expect(nextStep({ ...fresh, mustChangePassword: true }, ["ops"], pw(false), DEFAULT_AUTH_POLICY, now)).toBe("change_password");
    expect(nextStep(fresh, ["ops"], pw(false), DEFAULT_AUTH_POLICY, now)).toBe("enrol_totp");
    expect(nextStep(fresh, ["applicant"], pw(false), DEFAULT_AUTH_POLICY, now)).toBe("done");
    expect(nextStep(fresh, ["applicant"], pw(false), { ...DEFAULT_AUTH_POLICY, mfa: "all" }, now)).toBe("enrol_totp");
    const old = { ...fresh, passwordChangedAt: new Date(now.getTime() - DEFAULT_PASSWORD_POLICY.maxAgeMs) };
    expect(nextStep(old, ["applicant"], pw(false), DEFAULT_AUTH_POLICY, now)).toBe("change_password");
    // An SSO sign-in has no local password to change; the provider's MFA counts as the second factor.
    expect(nextStep(old, ["ops"], { method: "oidc", secondFactorDone: true }, DEFAULT_AUTH_POLICY, now)).toBe("done");
  });

  it("accepts the provider's amr or acr only when configured", () => {
    expect(providerDidMfa({ amr: ["pwd", "otp"] }, DEFAULT_AUTH_POLICY)).toBe(false);
    const policy = { ...DEFAULT_AUTH_POLICY, mfaAmr: ["otp", "mfa", "urn:gov:loa:3"] };
    expect(providerDidMfa({ amr: ["pwd", "otp"] }, policy)).toBe(true);
    expect(providerDidMfa({ amr: ["pwd"] }, policy)).toBe(false);
    expect(providerDidMfa({ acr: "urn:gov:loa:3" }, policy)).toBe(true);
    expect(providerDidMfa({ amr: "otp" }, policy)).toBe(false);
  });
});

describe("password rules", () => {
  it("wants length and three kinds of characters, and not the username", () => {
    expect(passwordProblems("Abcdefgh1!", DEFAULT_PASSWORD_POLICY)).toEqual([]);
    expect(passwordProblems("Abc1!", DEFAULT_PASSWORD_POLICY)).toHaveLength(1);
    expect(passwordProblems("abcdefghijkl", DEFAULT_PASSWORD_POLICY)).toHaveLength(1);
    expect(passwordProblems("abcdefgh12", DEFAULT_PASSWORD_POLICY)).toHaveLength(1);
    expect(passwordProblems("Zhang.wei-2026", DEFAULT_PASSWORD_POLICY, "zhang.wei")).toHaveLength(1);
    expect(passwordProblems("长口令长口令长口令长口令1A", DEFAULT_PASSWORD_POLICY)).toEqual([]);
  });

  it("generates temporary passwords that pass the rules", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = temporaryPassword();
      expect(passwordProblems(p, { ...DEFAULT_PASSWORD_POLICY, minClasses: 4, minLength: 16 })).toEqual([]);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });

  it("expires after the configured age, never when it is 0", () => {
    const changed = new Date(now.getTime() - 90 * 86_400_000);
    expect(passwordExpired(changed, DEFAULT_PASSWORD_POLICY, now)).toBe(true);
    expect(passwordExpired(new Date(changed.getTime() + 1000), DEFAULT_PASSWORD_POLICY, now)).toBe(false);
    expect(passwordExpired(changed, { ...DEFAULT_PASSWORD_POLICY, maxAgeMs: 0 }, now)).toBe(false);
  });
});

describe("TOTP and recovery codes", () => {
  it("accepts a code within one step, once", () => {
    const secret = newTotpSecret();
    const totp = totpFor(secret, "u");
    const code = totp.generate({ timestamp: now.getTime() });
    const step = acceptTotp(secret, code, null, now);
    expect(step).toBe(timeStep(now));
    expect(acceptTotp(secret, code, step, now)).toBeNull();
    expect(acceptTotp(secret, totp.generate({ timestamp: now.getTime() + 30_000 }), step, now)).toBe(step! + 1);
    expect(acceptTotp(secret, totp.generate({ timestamp: now.getTime() - 90_000 }), null, now)).toBeNull();
    expect(acceptTotp(secret, "12345", null, now)).toBeNull();
  });

  it("hashes recovery codes with a salt and matches them regardless of case", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    const stored = hashRecoveryCode(codes[0]!);
    expect(stored).not.toContain(codes[0]);
    expect(hashRecoveryCode(codes[0]!)).not.toBe(stored);
    expect(recoveryCodeMatches(stored, codes[0]!.toUpperCase())).toBe(true);
    expect(recoveryCodeMatches(stored, codes[1]!)).toBe(false);
  });

  it("seals secrets bound to their account", () => {
    const key = DEFAULT_AUTH_POLICY.secretKey;
    const sealed = seal(key, "JBSWY3DPEHPK3PXP", "user-1");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(unseal(key, sealed, "user-1")).toBe("JBSWY3DPEHPK3PXP");
    expect(() => unseal(key, sealed, "user-2")).toThrow();
    expect(() => unseal(Buffer.alloc(32, 1), sealed, "user-1")).toThrow();
  });
});
