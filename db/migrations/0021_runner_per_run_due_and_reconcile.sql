DROP INDEX "journey_enrollments_due";--> statement-breakpoint
ALTER TABLE "journey_runs" ADD COLUMN "reconciled_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "journey_enrollments_due" ON "journey_enrollments" USING btree ("workspace_id","run_id","due_at") WHERE state = 'active';