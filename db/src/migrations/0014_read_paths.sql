-- Keyset pages of requests, newest first: the approval queue pages one state by number, "my
-- requests" one requester by number. Each index leads with the column of the index it replaces.
CREATE INDEX "requests_state_number" ON "resource_requests" USING btree ("state","number" DESC);--> statement-breakpoint
CREATE INDEX "requests_requester_number" ON "resource_requests" USING btree ("requester_id","number" DESC);--> statement-breakpoint
DROP INDEX "requests_state";--> statement-breakpoint
DROP INDEX "requests_requester";
