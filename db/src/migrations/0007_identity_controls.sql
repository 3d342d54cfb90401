-- Identity controls: second factor, password life cycle, sign-in notice, SSO marking, 三员分立 in the database.
ALTER TABLE "users" ADD COLUMN "password_changed_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_secret" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_pending_secret" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_enabled_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_last_step" bigint;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sso_username" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_login_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_login_ip" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_failed_login_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_failed_login_ip" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "notice" jsonb;
--> statement-breakpoint
CREATE TABLE "password_history" (
  "id" bigserial PRIMARY KEY NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "password_hash" text NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "password_history_user" ON "password_history" ("user_id", "id");
--> statement-breakpoint
CREATE TABLE "recovery_codes" (
  "id" bigserial PRIMARY KEY NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "code_hash" text NOT NULL,
  "used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "recovery_codes_user" ON "recovery_codes" ("user_id");
--> statement-breakpoint
CREATE TABLE "sign_in_challenges" (
  "token_hash" text PRIMARY KEY NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "method" text NOT NULL,
  "second_factor_done" boolean DEFAULT false NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "expires_at" timestamp with time zone NOT NULL,
  "ip" text
);
--> statement-breakpoint
CREATE INDEX "sign_in_challenges_user" ON "sign_in_challenges" ("user_id");
--> statement-breakpoint
-- 三员分立 and two-stage approval by different people: the system admin, security officer and
-- auditor hold no other role; an applicant or department admin is not also ops or security.
-- The user row is locked first, so two concurrent grants to one person are judged one after the other.
CREATE OR REPLACE FUNCTION role_assignments_separation_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  held text[];
  replaced text;
BEGIN
  -- An UPDATE judges the row as it will be, not beside its own old value.
  IF TG_OP = 'UPDATE' AND OLD."user_id" = NEW."user_id" THEN
    replaced := OLD."role"::text;
  END IF;
  PERFORM 1 FROM "users" WHERE "id" = NEW."user_id" FOR UPDATE;
  SELECT coalesce(array_agg("role"::text), '{}') INTO held FROM "role_assignments"
    WHERE "user_id" = NEW."user_id" AND "role" <> NEW."role" AND "role"::text IS DISTINCT FROM replaced;
  IF cardinality(held) = 0 THEN
    RETURN NEW;
  END IF;
  IF NEW."role"::text IN ('sysadmin', 'security', 'auditor') OR held && ARRAY['sysadmin', 'security', 'auditor'] THEN
    RAISE EXCEPTION 'separation of duties: % cannot be combined with %', NEW."role", array_to_string(held, ', ')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'role_assignments_separation_of_duties';
  END IF;
  IF (NEW."role"::text IN ('applicant', 'dept_admin') AND held && ARRAY['ops'])
     OR (NEW."role"::text = 'ops' AND held && ARRAY['applicant', 'dept_admin']) THEN
    RAISE EXCEPTION 'separation of duties: % cannot be combined with %', NEW."role", array_to_string(held, ', ')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'role_assignments_separation_of_duties';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER role_assignments_separation BEFORE INSERT OR UPDATE ON "role_assignments"
  FOR EACH ROW EXECUTE FUNCTION role_assignments_separation_check();
