-- Each audit entry records the digest it was hashed with (sha256 or sm3); earlier entries are sha256.
ALTER TABLE "audit_log" ADD COLUMN "hash_alg" text DEFAULT 'sha256' NOT NULL;
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_hash_alg" CHECK ("hash_alg" IN ('sha256', 'sm3'));
--> statement-breakpoint
-- Failed sign-ins counted per (login name, source address): repeated failures lock that name for
-- that source only, so nobody can lock a named administrator out from elsewhere.
CREATE TABLE "login_throttle" (
	"login_name" text NOT NULL,
	"source" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "login_throttle_pk" PRIMARY KEY("login_name","source")
);
--> statement-breakpoint
CREATE INDEX "login_throttle_updated" ON "login_throttle" USING btree ("updated_at");
--> statement-breakpoint
-- The controller's Pulumi state (its postgres:// backend, default table), created here by the schema
-- owner with Pulumi's own DDL: the backend only creates it when missing, so a runtime role without
-- CREATE on the schema can use it once the migrations granted it.
CREATE TABLE IF NOT EXISTS "pulumi_state" (
	"key" text PRIMARY KEY,
	"data" json NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pulumi_state_key_prefix_idx" ON "pulumi_state" ("key" text_pattern_ops);
