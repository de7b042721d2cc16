CREATE TABLE "customer_stream_cursors" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"last_event_id" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_streams" (
	"workspace_id" uuid NOT NULL,
	"event" text NOT NULL,
	"channel" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"times" timestamp with time zone[] NOT NULL,
	"weeks" integer[] NOT NULL,
	"min_discount" numeric,
	"max_discount" numeric,
	"month_days" bit(372) NOT NULL,
	CONSTRAINT "customer_streams_workspace_id_event_channel_customer_id_pk" PRIMARY KEY("workspace_id","event","channel","customer_id") INCLUDE ("n","first_at","last_at","min_discount","max_discount","month_days")
);
--> statement-breakpoint
ALTER TABLE "customer_stream_cursors" ADD CONSTRAINT "customer_stream_cursors_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_streams" ADD CONSTRAINT "customer_streams_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_streams_customer_idx" ON "customer_streams" USING btree ("workspace_id","customer_id");