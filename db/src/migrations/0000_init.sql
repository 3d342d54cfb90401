CREATE TYPE "public"."allocation_phase" AS ENUM('pending', 'reconciling', 'ready', 'stalled', 'releasing', 'released');--> statement-breakpoint
CREATE TYPE "public"."request_kind" AS ENUM('new', 'change', 'release');--> statement-breakpoint
CREATE TYPE "public"."request_state" AS ENUM('draft', 'submitted', 'dept_approved', 'ops_approved', 'security_approved', 'provisioning', 'active', 'failed', 'rejected', 'withdrawn', 'expired');--> statement-breakpoint
CREATE TYPE "public"."resource" AS ENUM('vcpu', 'memory_gib', 'storage_standard_gib', 'storage_ssd_gib', 'storage_encrypted_gib', 'segments', 'egress_mbps');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('applicant', 'dept_admin', 'ops', 'security', 'auditor', 'sysadmin');--> statement-breakpoint
CREATE TYPE "public"."zone" AS ENUM('internal', 'external');--> statement-breakpoint
CREATE TABLE "cluster_capacity" (
	"resource" "resource" PRIMARY KEY NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "capacity_non_negative" CHECK ("cluster_capacity"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "department_ceilings" (
	"department_id" uuid NOT NULL,
	"resource" "resource" NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "department_ceilings_department_id_resource_pk" PRIMARY KEY("department_id","resource"),
	CONSTRAINT "ceiling_non_negative" CHECK ("department_ceilings"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"user_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_assignments_user_id_role_pk" PRIMARY KEY("user_id","role")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"department_id" uuid NOT NULL,
	"password_hash" text,
	"oidc_issuer" text,
	"oidc_subject" text,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "failed_logins_non_negative" CHECK ("users"."failed_logins" >= 0)
);
--> statement-breakpoint
CREATE TABLE "exemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"system_id" uuid NOT NULL,
	"control_id" text NOT NULL,
	"reason" text NOT NULL,
	"granted_by" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "expires_after_grant" CHECK ("exemptions"."expires_at" > "exemptions"."granted_at")
);
--> statement-breakpoint
CREATE TABLE "information_systems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"department_id" uuid NOT NULL,
	"name" text NOT NULL,
	"purpose" text NOT NULL,
	"level" smallint NOT NULL,
	"graded" boolean DEFAULT false NOT NULL,
	"graded_by" uuid,
	"graded_at" timestamp with time zone,
	"filing_number" text,
	"zone" "zone" NOT NULL,
	"owner_id" uuid NOT NULL,
	"namespace" text NOT NULL,
	"drift_report_only" boolean DEFAULT false NOT NULL,
	"retired" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "information_systems_namespace_unique" UNIQUE("namespace"),
	CONSTRAINT "systems_department_name" UNIQUE("department_id","name"),
	CONSTRAINT "level_range" CHECK ("information_systems"."level" between 1 and 4),
	CONSTRAINT "graded_has_filing" CHECK (not "information_systems"."graded" or ("information_systems"."filing_number" is not null and "information_systems"."graded_by" is not null)),
	CONSTRAINT "namespace_dns_label" CHECK ("information_systems"."namespace" ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"score" smallint NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "score_range" CHECK ("ratings"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "request_egress_destinations" (
	"request_id" uuid NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	CONSTRAINT "request_egress_destinations_request_id_host_port_pk" PRIMARY KEY("request_id","host","port"),
	CONSTRAINT "egress_port_range" CHECK ("request_egress_destinations"."port" between 1 and 65535)
);
--> statement-breakpoint
CREATE TABLE "request_items" (
	"request_id" uuid NOT NULL,
	"resource" "resource" NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "request_items_request_id_resource_pk" PRIMARY KEY("request_id","resource"),
	CONSTRAINT "item_non_negative" CHECK ("request_items"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "request_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"from_state" "request_state",
	"to_state" "request_state" NOT NULL,
	"actor_id" uuid,
	"actor_role" "role",
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resource_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigserial NOT NULL,
	"system_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"kind" "request_kind" NOT NULL,
	"state" "request_state" DEFAULT 'draft' NOT NULL,
	"requester_id" uuid NOT NULL,
	"justification" text NOT NULL,
	"expires_at" timestamp with time zone,
	"segment_prefix" smallint,
	"dept_approver_id" uuid,
	"ops_approver_id" uuid,
	"security_approver_id" uuid,
	"reserved_delta" jsonb,
	"rejection_reason" text,
	"failure_reason" text,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "resource_requests_number_unique" UNIQUE("number"),
	CONSTRAINT "segment_prefix_range" CHECK ("resource_requests"."segment_prefix" is null or "resource_requests"."segment_prefix" between 24 and 28),
	CONSTRAINT "rejected_has_reason" CHECK ("resource_requests"."state" <> 'rejected' or "resource_requests"."rejection_reason" is not null),
	CONSTRAINT "security_approver_differs" CHECK ("resource_requests"."security_approver_id" is null or "resource_requests"."security_approver_id" <> "resource_requests"."ops_approver_id"),
	CONSTRAINT "approvers_not_requester" CHECK ("resource_requests"."requester_id" <> all (array_remove(array["resource_requests"."dept_approver_id", "resource_requests"."ops_approver_id", "resource_requests"."security_approver_id"], null)))
);
--> statement-breakpoint
CREATE TABLE "allocation_items" (
	"system_id" uuid NOT NULL,
	"resource" "resource" NOT NULL,
	"granted" bigint DEFAULT 0 NOT NULL,
	"used" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "allocation_items_system_id_resource_pk" PRIMARY KEY("system_id","resource"),
	CONSTRAINT "granted_non_negative" CHECK ("allocation_items"."granted" >= 0),
	CONSTRAINT "used_non_negative" CHECK ("allocation_items"."used" >= 0)
);
--> statement-breakpoint
CREATE TABLE "allocations" (
	"system_id" uuid PRIMARY KEY NOT NULL,
	"department_id" uuid NOT NULL,
	"request_id" uuid,
	"generation" integer DEFAULT 0 NOT NULL,
	"observed_generation" integer DEFAULT 0 NOT NULL,
	"phase" "allocation_phase" DEFAULT 'pending' NOT NULL,
	"conditions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "observed_le_generation" CHECK ("allocations"."observed_generation" <= "allocations"."generation")
);
--> statement-breakpoint
CREATE TABLE "network_segments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"zone" "zone" NOT NULL,
	"cidr" "cidr" NOT NULL,
	"system_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"allocated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "system_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"type" text NOT NULL,
	"reason" text NOT NULL,
	"message" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zone_pools" (
	"zone" "zone" PRIMARY KEY NOT NULL,
	"cidr" "cidr" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"actor_role" text,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"correlation_id" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "department_ceilings" ADD CONSTRAINT "department_ceilings_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exemptions" ADD CONSTRAINT "exemptions_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exemptions" ADD CONSTRAINT "exemptions_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_systems" ADD CONSTRAINT "information_systems_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_systems" ADD CONSTRAINT "information_systems_graded_by_users_id_fk" FOREIGN KEY ("graded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_systems" ADD CONSTRAINT "information_systems_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_request_id_resource_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."resource_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_egress_destinations" ADD CONSTRAINT "request_egress_destinations_request_id_resource_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."resource_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_items" ADD CONSTRAINT "request_items_request_id_resource_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."resource_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_transitions" ADD CONSTRAINT "request_transitions_request_id_resource_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."resource_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_transitions" ADD CONSTRAINT "request_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_requests" ADD CONSTRAINT "resource_requests_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_requests" ADD CONSTRAINT "resource_requests_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_requests" ADD CONSTRAINT "resource_requests_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_requests" ADD CONSTRAINT "resource_requests_dept_approver_id_users_id_fk" FOREIGN KEY ("dept_approver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_requests" ADD CONSTRAINT "resource_requests_ops_approver_id_users_id_fk" FOREIGN KEY ("ops_approver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_requests" ADD CONSTRAINT "resource_requests_security_approver_id_users_id_fk" FOREIGN KEY ("security_approver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_items" ADD CONSTRAINT "allocation_items_system_id_allocations_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."allocations"("system_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_request_id_resource_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."resource_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_segments" ADD CONSTRAINT "network_segments_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_segments" ADD CONSTRAINT "network_segments_request_id_resource_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."resource_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_events" ADD CONSTRAINT "system_events_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_assignments_separation_of_duties" ON "role_assignments" USING btree ("user_id") WHERE "role_assignments"."role" in ('sysadmin', 'security', 'auditor');--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_identity" ON "users" USING btree ("oidc_issuer","oidc_subject");--> statement-breakpoint
CREATE INDEX "users_department" ON "users" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "exemptions_system" ON "exemptions" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "systems_department" ON "information_systems" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "ratings_department" ON "ratings" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "transitions_request" ON "request_transitions" USING btree ("request_id","id");--> statement-breakpoint
CREATE INDEX "requests_department_state" ON "resource_requests" USING btree ("department_id","state");--> statement-breakpoint
CREATE INDEX "requests_state" ON "resource_requests" USING btree ("state");--> statement-breakpoint
CREATE INDEX "requests_system" ON "resource_requests" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "requests_requester" ON "resource_requests" USING btree ("requester_id");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_one_in_flight_per_system" ON "resource_requests" USING btree ("system_id") WHERE "resource_requests"."state" in ('draft', 'submitted', 'dept_approved', 'ops_approved', 'security_approved', 'provisioning');--> statement-breakpoint
CREATE INDEX "allocations_department" ON "allocations" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "segments_system" ON "network_segments" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "system_events_system" ON "system_events" USING btree ("system_id","id");--> statement-breakpoint
CREATE INDEX "audit_target" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_actor" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "audit_at" ON "audit_log" USING btree ("at");