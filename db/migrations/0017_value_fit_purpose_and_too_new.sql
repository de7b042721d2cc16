ALTER TABLE "customer_values" ADD COLUMN "too_new" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "value_fits" ADD COLUMN "purpose" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "value_fits" ADD COLUMN "model_choice" text DEFAULT 'auto' NOT NULL;