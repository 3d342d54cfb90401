-- Usage history (per system and resource, downsampled: 5-minute, hourly, daily points), the
-- versioned price list of the monthly cost report, and the auto-approval rules of the ops stage.
CREATE TABLE "usage_points" (
	"system_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"resource" "resource" NOT NULL,
	"resolution" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"used_avg" double precision NOT NULL,
	"used_max" double precision NOT NULL,
	"granted_avg" double precision NOT NULL,
	"granted_max" double precision NOT NULL,
	CONSTRAINT "usage_points_pk" PRIMARY KEY("system_id","resource","bucket","resolution"),
	CONSTRAINT "usage_points_resolution" CHECK ("usage_points"."resolution" in ('5m', '1h', '1d')),
	CONSTRAINT "usage_points_samples_positive" CHECK ("usage_points"."samples" > 0),
	CONSTRAINT "usage_points_non_negative" CHECK ("usage_points"."used_avg" >= 0 and "usage_points"."used_max" >= 0 and "usage_points"."granted_avg" >= 0 and "usage_points"."granted_max" >= 0)
);
--> statement-breakpoint
ALTER TABLE "usage_points" ADD CONSTRAINT "usage_points_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_points" ADD CONSTRAINT "usage_points_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_points_department_bucket" ON "usage_points" USING btree ("department_id","resource","bucket");--> statement-breakpoint
CREATE INDEX "usage_points_resolution_bucket" ON "usage_points" USING btree ("resolution","bucket");--> statement-breakpoint
CREATE TABLE "price_lists" (
	"version" integer PRIMARY KEY NOT NULL,
	"prices" jsonb NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_lists_version_positive" CHECK ("price_lists"."version" > 0)
);
--> statement-breakpoint
ALTER TABLE "price_lists" ADD CONSTRAINT "price_lists_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "auto_approval_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"department_id" uuid NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"max_level" integer DEFAULT 2 NOT NULL,
	"require_headroom" boolean DEFAULT true NOT NULL,
	"max_growth_pct" integer,
	"min_usage_pct" integer,
	"min_usage_days" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auto_rules_level" CHECK ("auto_approval_rules"."max_level" between 1 and 2),
	CONSTRAINT "auto_rules_name_length" CHECK (char_length("auto_approval_rules"."name") between 1 and 64),
	CONSTRAINT "auto_rules_growth" CHECK ("auto_approval_rules"."max_growth_pct" is null or "auto_approval_rules"."max_growth_pct" between 0 and 1000),
	CONSTRAINT "auto_rules_usage" CHECK (("auto_approval_rules"."min_usage_pct" is null) = ("auto_approval_rules"."min_usage_days" is null) and ("auto_approval_rules"."min_usage_pct" is null or ("auto_approval_rules"."min_usage_pct" between 0 and 100 and "auto_approval_rules"."min_usage_days" between 1 and 90)))
);
--> statement-breakpoint
ALTER TABLE "auto_approval_rules" ADD CONSTRAINT "auto_approval_rules_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auto_approval_rules" ADD CONSTRAINT "auto_approval_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "auto_approval_rules_department" ON "auto_approval_rules" USING btree ("department_id");
