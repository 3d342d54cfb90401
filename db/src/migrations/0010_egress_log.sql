-- The unified internet egress: each external-zone system's gateway port, the gateway's log
-- shipping cursor, and the connection log, partitioned by month so retention drops whole months.
CREATE TABLE "egress_ports" (
	"system_id" uuid PRIMARY KEY NOT NULL,
	"port" integer NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "egress_ports_port_unique" UNIQUE("port"),
	CONSTRAINT "egress_port_range" CHECK ("egress_ports"."port" between 1 and 65535)
);
--> statement-breakpoint
ALTER TABLE "egress_ports" ADD CONSTRAINT "egress_ports_system_id_information_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."information_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "egress_log_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"offset" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "egress_connections" (
	"id" bigserial NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"system_id" uuid,
	"department_id" uuid,
	"gateway_port" integer NOT NULL,
	"client" text NOT NULL,
	"method" text NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"status" integer NOT NULL,
	"action" text NOT NULL,
	"squid_status" text NOT NULL,
	"bytes_in" bigint NOT NULL,
	"bytes_out" bigint NOT NULL,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "egress_connections_pk" PRIMARY KEY ("at", "id"),
	CONSTRAINT "egress_action" CHECK ("action" in ('allowed', 'denied'))
) PARTITION BY RANGE ("at");
--> statement-breakpoint
CREATE INDEX "egress_connections_system_at" ON "egress_connections" USING btree ("system_id", "at");--> statement-breakpoint
CREATE INDEX "egress_connections_department_at" ON "egress_connections" USING btree ("department_id", "at");--> statement-breakpoint
CREATE INDEX "egress_connections_at" ON "egress_connections" USING btree ("at");--> statement-breakpoint
-- This month's and the next two months' partitions; the controller keeps creating them ahead.
DO $$
DECLARE
	m date := date_trunc('month', now() at time zone 'UTC')::date;
BEGIN
	FOR i IN 0..2 LOOP
		EXECUTE format(
			'CREATE TABLE IF NOT EXISTS %I PARTITION OF egress_connections FOR VALUES FROM (%L) TO (%L)',
			'egress_connections_y' || to_char(m + make_interval(months => i), 'YYYY"m"MM'),
			(m + make_interval(months => i))::timestamp at time zone 'UTC',
			(m + make_interval(months => i + 1))::timestamp at time zone 'UTC'
		);
	END LOOP;
END $$;
