ALTER TABLE "journey_enrollments" ADD COLUMN "holdout" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "journey_enrollments" ADD COLUMN "entry_clv" double precision;--> statement-breakpoint
ALTER TABLE "journey_enrollments" ADD COLUMN "entry_p_alive" double precision;--> statement-breakpoint
ALTER TABLE "journey_enrollments" ADD COLUMN "entry_fit_id" uuid;--> statement-breakpoint
ALTER TABLE "journey_runs" ADD COLUMN "holdout_percent" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "journey_enrollments_entered" ON "journey_enrollments" USING btree ("workspace_id","journey_id","entered_at");