CREATE TYPE "public"."enrollment_state" AS ENUM('active', 'completed', 'exited');--> statement-breakpoint
CREATE TYPE "public"."journey_run_status" AS ENUM('live', 'paused', 'stopped');--> statement-breakpoint
CREATE TABLE "journey_enrollments" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"state" "enrollment_state" DEFAULT 'active' NOT NULL,
	"node_id" text NOT NULL,
	"node_since" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"triggered_at" timestamp with time zone,
	"trigger_event_id" bigint,
	"variants" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"steps" integer DEFAULT 0 NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	CONSTRAINT "journey_enrollments_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "journey_runs" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"journey_id" uuid NOT NULL,
	"status" "journey_run_status" DEFAULT 'live' NOT NULL,
	"version" integer NOT NULL,
	"reentry_days" integer,
	"exit_on_segment_leave" boolean DEFAULT false NOT NULL,
	"move_to_new_version" boolean DEFAULT false NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"membership_cursor" bigint DEFAULT 0 NOT NULL,
	"event_cursor" bigint DEFAULT 0 NOT NULL,
	"initial_members" integer DEFAULT 0 NOT NULL,
	"initial_enrolled" integer DEFAULT 0 NOT NULL,
	"initial_after" uuid,
	"initial_done" boolean DEFAULT false NOT NULL,
	"started_by" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paused_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	CONSTRAINT "journey_runs_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "journey_id" uuid;--> statement-breakpoint
ALTER TABLE "journey_enrollments" ADD CONSTRAINT "journey_enrollments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_enrollments" ADD CONSTRAINT "journey_enrollments_workspace_id_run_id_journey_runs_workspace_id_id_fk" FOREIGN KEY ("workspace_id","run_id") REFERENCES "public"."journey_runs"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_runs" ADD CONSTRAINT "journey_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_runs" ADD CONSTRAINT "journey_runs_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_runs" ADD CONSTRAINT "journey_runs_workspace_id_journey_id_journeys_workspace_id_id_fk" FOREIGN KEY ("workspace_id","journey_id") REFERENCES "public"."journeys"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journey_enrollments_due" ON "journey_enrollments" USING btree ("due_at") WHERE state = 'active';--> statement-breakpoint
CREATE INDEX "journey_enrollments_customer" ON "journey_enrollments" USING btree ("workspace_id","customer_id","journey_id");--> statement-breakpoint
CREATE INDEX "journey_enrollments_run" ON "journey_enrollments" USING btree ("workspace_id","run_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "journey_enrollments_one_active" ON "journey_enrollments" USING btree ("workspace_id","journey_id","customer_id") WHERE state = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "journey_runs_one_open" ON "journey_runs" USING btree ("workspace_id","journey_id") WHERE status <> 'stopped';--> statement-breakpoint
CREATE INDEX "deliveries_by_customer" ON "deliveries" USING btree ("workspace_id","customer_id","channel","created_at");--> statement-breakpoint
CREATE INDEX "deliveries_by_journey" ON "deliveries" USING btree ("workspace_id","journey_id");