CREATE TABLE "platform_baselines" (
	"cluster" text PRIMARY KEY NOT NULL,
	"applied_hash" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconcile_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"owner" text NOT NULL,
	"generation" integer NOT NULL,
	"action" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"result" text,
	"error" text,
	"changes" jsonb
);
--> statement-breakpoint
CREATE TABLE "reconcile_states" (
	"system_id" uuid PRIMARY KEY NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone,
	"failed_generation" integer,
	"last_error" text,
	"applied_generation" integer DEFAULT 0 NOT NULL,
	"applied_hash" text,
	"applied_at" timestamp with time zone,
	"run_started_at" timestamp with time zone,
	"check_due_at" timestamp with time zone,
	"requeue_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lease_complete" CHECK (("reconcile_states"."lease_owner" is null) = ("reconcile_states"."lease_expires_at" is null)),
	CONSTRAINT "attempts_non_negative" CHECK ("reconcile_states"."attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "reconcile_runs" ADD CONSTRAINT "reconcile_runs_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_states" ADD CONSTRAINT "reconcile_states_system_id_allocations_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."allocations"("system_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconcile_runs_system" ON "reconcile_runs" USING btree ("system_id","id");--> statement-breakpoint
CREATE INDEX "reconcile_states_lease" ON "reconcile_states" USING btree ("lease_expires_at");--> statement-breakpoint
CREATE INDEX "reconcile_states_check_due" ON "reconcile_states" USING btree ("check_due_at");