ALTER TABLE "segment_sizes" ADD COLUMN "reconstructed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "segments" ADD COLUMN "history_job_id" uuid;