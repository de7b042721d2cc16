ALTER TYPE "public"."refusal_reason" ADD VALUE 'origin_not_allowed';--> statement-breakpoint
ALTER TABLE "write_keys" ADD COLUMN "allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL;