CREATE TYPE "public"."refusal_reason" AS ENUM('invalid', 'too_large', 'malformed', 'rate_limited');--> statement-breakpoint
CREATE TABLE "refused_message_counts" (
	"workspace_id" uuid NOT NULL,
	"write_key_id" uuid NOT NULL,
	"reason" "refusal_reason" NOT NULL,
	"count" bigint NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "refused_message_counts_workspace_id_write_key_id_reason_pk" PRIMARY KEY("workspace_id","write_key_id","reason")
);
--> statement-breakpoint
CREATE TABLE "refused_messages" (
	"workspace_id" uuid NOT NULL,
	"id" bigserial NOT NULL,
	"write_key_id" uuid NOT NULL,
	"reason" "refusal_reason" NOT NULL,
	"error" text NOT NULL,
	"excerpt" text,
	"position" integer,
	"refused_at" timestamp with time zone NOT NULL,
	CONSTRAINT "refused_messages_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "refused_message_counts" ADD CONSTRAINT "refused_message_counts_workspace_id_write_key_id_write_keys_workspace_id_id_fk" FOREIGN KEY ("workspace_id","write_key_id") REFERENCES "public"."write_keys"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refused_messages" ADD CONSTRAINT "refused_messages_workspace_id_write_key_id_write_keys_workspace_id_id_fk" FOREIGN KEY ("workspace_id","write_key_id") REFERENCES "public"."write_keys"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refused_messages_key_idx" ON "refused_messages" USING btree ("workspace_id","write_key_id","id" DESC NULLS LAST);