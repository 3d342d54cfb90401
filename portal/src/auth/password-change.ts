import type { Tx } from "@zhengyun/db/client";
import { AppError } from "@zhengyun/db/errors";
import { passwordHistory, users } from "@zhengyun/db/schema";
import { desc, eq, inArray } from "drizzle-orm";
import { passwordProblems } from "./password-rules.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import type { PasswordPolicy } from "./policy.js";

/** Refuses a new password that breaks the rules or repeats one of the account's recent passwords. */
export async function checkNewPassword(tx: Tx, policy: PasswordPolicy, user: { id: string; username: string; passwordHash: string | null }, password: string) {
  const problems = passwordProblems(password, policy, user.username);
  if (problems.length) throw new AppError("INVALID_INPUT", `newPassword: ${problems.join("; ")}`, { field: "newPassword", problems });
  const recent = await tx
    .select({ passwordHash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, user.id))
    .orderBy(desc(passwordHistory.id))
    .limit(policy.history);
  const hashes = new Set([...(user.passwordHash ? [user.passwordHash] : []), ...recent.map((r) => r.passwordHash)]);
  for (const hash of hashes)
    if (await verifyPassword(hash, password))
      throw new AppError(
        "INVALID_INPUT",
        `newPassword: 不得与最近 ${policy.history} 次使用过的口令相同 / must differ from the last ${policy.history} passwords`,
        {
          field: "newPassword",
        },
      );
}

/**
 * Stores a password (already checked or generated) and records it in the history, which keeps the
 * last `history` entries. `temporary` marks an administrator-issued one: changed at next sign-in.
 */
export async function storePassword(tx: Tx, policy: PasswordPolicy, userId: string, password: string, opts: { temporary: boolean; now: Date }) {
  const passwordHash = await hashPassword(password);
  await tx.update(users).set({ passwordHash, passwordChangedAt: opts.now, mustChangePassword: opts.temporary }).where(eq(users.id, userId));
  await tx.insert(passwordHistory).values({ userId, passwordHash, createdAt: opts.now });
  const old = await tx
    .select({ id: passwordHistory.id })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(desc(passwordHistory.id))
    .offset(Math.max(policy.history, 1));
  if (old.length)
    await tx.delete(passwordHistory).where(
      inArray(
        passwordHistory.id,
        old.map((o) => o.id),
      ),
    );
}
