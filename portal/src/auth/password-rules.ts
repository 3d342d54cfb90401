import { randomInt } from "node:crypto";
import type { PasswordPolicy } from "./policy.js";

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/] as const;

/** What is wrong with a new password under the policy (bilingual), or [] when it is acceptable. */
export function passwordProblems(password: string, policy: PasswordPolicy, username?: string): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push(`至少 ${policy.minLength} 个字符 / at least ${policy.minLength} characters`);
  const classes = CLASSES.filter((c) => c.test(password)).length;
  if (classes < policy.minClasses)
    problems.push(
      `须包含小写字母、大写字母、数字、符号中的至少 ${policy.minClasses} 类 / use at least ${policy.minClasses} of lower case, upper case, digits, symbols`,
    );
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()))
    problems.push("不得包含用户名 / must not contain the username");
  return problems;
}

/** Letters and digits without look-alikes (0/O, 1/l/I). */
const ALPHABET = { lower: "abcdefghijkmnpqrstuvwxyz", upper: "ABCDEFGHJKLMNPQRSTUVWXYZ", digit: "23456789", symbol: "@#%+=?" };

/**
 * A temporary password an administrator hands over once: 16 characters from every class, so it
 * satisfies any policy up to that length; the person must change it at the first sign-in.
 */
export function temporaryPassword(length = 16): string {
  const all = Object.values(ALPHABET).join("");
  const chars = Object.values(ALPHABET).map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

/** True when a password set at `changedAt` has outlived the policy at `now`. */
export function passwordExpired(changedAt: Date, policy: PasswordPolicy, now: Date): boolean {
  return policy.maxAgeMs > 0 && now.getTime() - changedAt.getTime() >= policy.maxAgeMs;
}
