ALTER TABLE "information_systems" ADD COLUMN "proposed_level" smallint;--> statement-breakpoint
ALTER TABLE "information_systems" ADD COLUMN "proposed_zone" "zone";--> statement-breakpoint
UPDATE "information_systems" SET "proposed_level" = "level", "proposed_zone" = "zone";--> statement-breakpoint
UPDATE "information_systems" SET "graded_at" = "updated_at" WHERE "graded" AND "graded_at" IS NULL;--> statement-breakpoint
ALTER TABLE "information_systems" ALTER COLUMN "proposed_level" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "information_systems" ALTER COLUMN "proposed_zone" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "information_systems" DROP CONSTRAINT "graded_has_filing";--> statement-breakpoint
ALTER TABLE "information_systems" ADD CONSTRAINT "proposed_level_range" CHECK ("information_systems"."proposed_level" between 1 and 4);--> statement-breakpoint
ALTER TABLE "information_systems" ADD CONSTRAINT "graded_has_filing" CHECK (not "information_systems"."graded" or ("information_systems"."graded_by" is not null and "information_systems"."graded_at" is not null and ("information_systems"."level" < 2 or "information_systems"."filing_number" is not null)));
