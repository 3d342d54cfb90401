import { randomUUID } from "node:crypto";
import { appendAudit } from "@zhengyun/db/audit/append";
import type { Db } from "@zhengyun/db/client";
import { departments, roleAssignments, users } from "@zhengyun/db/schema";
import { eq } from "drizzle-orm";
import { hashPassword } from "../auth/passwords.js";

export interface BootstrapAdmin {
  username: string;
  password: string;
  /** The platform department the first administrator belongs to, created when missing. */
  departmentCode: string;
  departmentName: string;
}

/**
 * Creates the first system administrator on a database that has none, so a fresh production
 * install (no demo seed) can be signed into. Does nothing once any system admin exists.
 */
export async function ensureBootstrapAdmin(db: Db, admin: BootstrapAdmin): Promise<boolean> {
  const passwordHash = await hashPassword(admin.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ userId: roleAssignments.userId }).from(roleAssignments).where(eq(roleAssignments.role, "sysadmin")).limit(1);
    if (existing) return false;
    await tx.insert(departments).values({ code: admin.departmentCode, name: admin.departmentName, nameEn: admin.departmentCode }).onConflictDoNothing();
    const [dept] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.code, admin.departmentCode));
    const [user] = await tx
      .insert(users)
      // The password came through configuration: its owner replaces it at the first sign-in.
      .values({ username: admin.username, displayName: admin.username, departmentId: dept!.id, passwordHash, mustChangePassword: true })
      .returning({ id: users.id });
    await tx.insert(roleAssignments).values({ userId: user!.id, role: "sysadmin" });
    await appendAudit(tx, {
      actorId: null,
      actorName: "platform",
      actorRole: null,
      action: "user.bootstrap_admin",
      targetType: "user",
      targetId: user!.id,
      after: { username: admin.username, department: admin.departmentCode },
      correlationId: randomUUID(),
      at: new Date(),
    });
    return true;
  });
}
