import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema/index.js";

type Schema = typeof schema;
/** The database handle services take; a transaction handle has the same shape. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

/** Raw SQL with $n parameters, the same on a server and on the embedded database. */
export interface SqlPool {
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed by the caller, as with pg
  query<R = any>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
  /** A session of its own (on PGlite the one connection there is). */
  connect(): Promise<{ query: SqlPool["query"]; release(): void }>;
}

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /** A pg pool when on a server (for LISTEN/NOTIFY and raw access), absent on PGlite. */
  pool?: pg.Pool;
  /** Raw SQL on either kind. */
  sql: SqlPool;
  /** NOTIFY subscription on the embedded database (a server's callers LISTEN on a connection of their own). */
  listen?: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Where the database announces allocations with work waiting (the trigger in migration 0001). */
export const ALLOCATIONS_CHANNEL = "zhengyun_allocations";

export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export interface OpenOptions {
  /** postgres:// URL; when absent an embedded PGlite database is kept in `dataDir`. */
  url?: string | undefined;
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 20 });
    // An idle connection the server closed (restart, admin command) is dropped by the pool and the
    // next query opens a fresh one; without a listener the event would crash the process.
    pool.on("error", () => {});
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return { db, kind: "postgres", pool, sql: pool as unknown as SqlPool, close: () => pool.end() };
  }
  const dataDir = opts.dataDir ?? path.resolve(".data/pglite");
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, { extensions: { btree_gist } });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const query: SqlPool["query"] = async (text, values) => {
    const r = await client.query(text, values as unknown[] | undefined);
    return { rows: r.rows as never[], rowCount: r.affectedRows ?? r.rows.length };
  };
  return {
    db,
    kind: "pglite",
    sql: { query, connect: async () => ({ query, release: () => {} }) },
    listen: async (channel, onPayload) => client.listen(channel, onPayload),
    close: () => client.close(),
  };
}

const ROLE_NAME = /^[a-z_][a-z0-9_$]{0,62}$/;

/**
 * What the runtime role may do: read and write the application's tables, but only INSERT and
 * SELECT on the audit log. Not being the owner, it cannot ALTER the table or disable its triggers.
 */
export function runtimeGrants(role: string): string[] {
  if (!ROLE_NAME.test(role)) throw new Error(`invalid runtime role name ${JSON.stringify(role)}`);
  const r = `"${role}"`;
  return [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "audit_log" FROM ${r}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    // To check at start-up that the owner has applied every migration.
    `GRANT USAGE ON SCHEMA drizzle TO ${r}`,
    `GRANT SELECT ON drizzle.__drizzle_migrations TO ${r}`,
  ];
}

/**
 * Applies the committed SQL migrations; concurrent callers on one server wait for each other.
 * With `grantTo`, the runtime role then gets exactly its privileges (see runtimeGrants).
 */
export async function migrateDatabase(database: Database, opts: { grantTo?: string | undefined } = {}): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const pool = database.pool as pg.Pool;
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock(715001)");
    await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
    if (opts.grantTo) for (const statement of runtimeGrants(opts.grantTo)) await client.query(statement);
  } finally {
    await client.query("select pg_advisory_unlock(715001)").catch(() => {});
    client.release();
  }
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

export interface SchemaRoles {
  /** The runtime connection's URL (DATABASE_URL); its user is the runtime role unless named. */
  runtimeUrl?: string | undefined;
  /** The schema owner's URL (MIGRATION_DATABASE_URL); when absent, one role does everything. */
  migrationUrl?: string | undefined;
  /** The runtime role to grant to (ZHENGYUN_RUNTIME_ROLE); default: DATABASE_URL's user. */
  runtimeRole?: string | undefined;
}

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Migrates as the schema owner and grants the runtime role its privileges, when both are
 * configured; otherwise migrates on the runtime connection (single-role mode, said in the log: the
 * runtime role then owns the audit log and could drop its triggers). PGlite is single-role.
 */
export async function prepareSchema(database: Database, roles: SchemaRoles, log: Log): Promise<void> {
  if (database.kind === "postgres" && !roles.migrationUrl && (await ownedByAnother(database))) {
    // A runtime role without the owner's URL (the owner migrates elsewhere, e.g. a Helm hook):
    // it cannot migrate, so it checks that every committed migration has been applied.
    await assertMigrated(database);
    log.info({}, "schema owned by another role and up to date: running as the runtime role");
    return;
  }
  if (database.kind === "pglite" || !roles.migrationUrl) {
    await migrateDatabase(database);
    if (database.kind === "postgres")
      log.warn({}, "single database role: the portal's role owns the schema and the audit log (set MIGRATION_DATABASE_URL for a separate migration owner)");
    return;
  }
  const role = roles.runtimeRole ?? (roles.runtimeUrl ? decodeURIComponent(new URL(roles.runtimeUrl).username) : undefined);
  if (!role) throw new Error("MIGRATION_DATABASE_URL needs ZHENGYUN_RUNTIME_ROLE or a user in DATABASE_URL");
  const owner = await openDatabase({ url: roles.migrationUrl, poolSize: 1 });
  try {
    const { rows } = await owner.sql.query<{ user: string }>("select current_user as user");
    const ownerRole = rows[0]?.user;
    await migrateDatabase(owner, ownerRole === role ? {} : { grantTo: role });
    if (ownerRole === role) log.warn({ role }, "single database role: MIGRATION_DATABASE_URL and DATABASE_URL name the same role");
    else log.info({ owner: ownerRole, runtime: role }, "schema migrated by its owner; runtime role granted");
  } finally {
    await owner.close();
  }
}

/** True when the audit log exists and belongs to a role other than this connection's. */
async function ownedByAnother(database: Database): Promise<boolean> {
  const { rows } = await database.sql.query<{ mine: boolean }>(
    "select pg_get_userbyid(c.relowner) = current_user as mine from pg_class c where c.oid = to_regclass('public.audit_log')",
  );
  return rows.length > 0 && !rows[0]!.mine;
}

/** Refuses to run on a schema some committed migration has not reached. */
async function assertMigrated(database: Database): Promise<void> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { when: number; tag: string }[] };
  const { rows } = await database.sql.query<{ at: string | null }>("select max(created_at)::text as at from drizzle.__drizzle_migrations");
  const applied = Number(rows[0]?.at ?? 0);
  const pending = journal.entries.filter((e) => e.when > applied).map((e) => e.tag);
  if (pending.length) throw new Error(`the database schema is behind (${pending.join(", ")}): run the migrations as the schema owner (MIGRATION_DATABASE_URL)`);
}
