CREATE TABLE "evidence_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"content_hash" text NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL,
	"level" integer NOT NULL,
	"total" integer NOT NULL,
	"enforced" integer NOT NULL,
	"exempted" integer NOT NULL,
	"drifted" integer NOT NULL,
	"report" jsonb NOT NULL,
	CONSTRAINT "evidence_counts" CHECK ("evidence_reports"."enforced" + "evidence_reports"."exempted" + "evidence_reports"."drifted" = "evidence_reports"."total" and "evidence_reports"."drifted" >= 0 and "evidence_reports"."exempted" >= 0 and "evidence_reports"."enforced" >= 0),
	CONSTRAINT "evidence_confirmed_after_generated" CHECK ("evidence_reports"."confirmed_at" >= "evidence_reports"."generated_at")
);
--> statement-breakpoint
ALTER TABLE "evidence_reports" ADD CONSTRAINT "evidence_reports_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_reports_system" ON "evidence_reports" USING btree ("system_id","id");