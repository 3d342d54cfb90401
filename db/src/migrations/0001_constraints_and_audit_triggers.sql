-- Custom constraints drizzle-kit cannot express.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- No two live segments of one zone may overlap; the same block in the other zone is fine.
ALTER TABLE "network_segments"
  ADD CONSTRAINT "network_segments_no_overlap"
  EXCLUDE USING gist ("zone" WITH =, "cidr" inet_ops WITH &&) WHERE ("released_at" IS NULL);
--> statement-breakpoint
-- The zone pools are disjoint too: a segment belongs to exactly one zone.
ALTER TABLE "zone_pools"
  ADD CONSTRAINT "zone_pools_no_overlap" EXCLUDE USING gist ("cidr" inet_ops WITH &&);
--> statement-breakpoint
-- The audit trail is append-only: UPDATE, DELETE and TRUNCATE are refused.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
-- Controller wake-up: any allocation whose desired generation moves on is announced.
CREATE OR REPLACE FUNCTION allocations_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.generation <> OLD.generation THEN
    PERFORM pg_notify('zhengyun_allocations', NEW.system_id::text);
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER allocations_notify AFTER INSERT OR UPDATE OF generation ON "allocations"
  FOR EACH ROW EXECUTE FUNCTION allocations_notify();
