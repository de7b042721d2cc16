CREATE TYPE "public"."rfm_group" AS ENUM('champions', 'loyal', 'potential loyalist', 'new', 'at risk', 'cannot lose', 'hibernating', 'lost');--> statement-breakpoint
CREATE TYPE "public"."value_fit_status" AS ENUM('queued', 'running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."value_schedule" AS ENUM('off', 'daily', 'weekly');--> statement-breakpoint
CREATE TABLE "customer_values" (
	"workspace_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"fit_id" uuid NOT NULL,
	"x" integer NOT NULL,
	"t_x" double precision NOT NULL,
	"t" double precision NOT NULL,
	"average_spend" double precision,
	"p_alive" double precision NOT NULL,
	"expected_purchases_90d" double precision NOT NULL,
	"expected_spend" double precision,
	"clv" double precision,
	"rfm_recency" smallint NOT NULL,
	"rfm_frequency" smallint NOT NULL,
	"rfm_monetary" smallint NOT NULL,
	"rfm_group" "rfm_group" NOT NULL,
	"previous_rfm_group" "rfm_group",
	"past_revenue" double precision NOT NULL,
	CONSTRAINT "customer_values_workspace_id_customer_id_pk" PRIMARY KEY("workspace_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "value_fit_schedules" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"schedule" "value_schedule" DEFAULT 'off' NOT NULL,
	"next_run_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "value_fits" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"status" "value_fit_status" DEFAULT 'queued' NOT NULL,
	"job_id" uuid,
	"calibration_end" date NOT NULL,
	"horizon_weeks" integer NOT NULL,
	"discount_rate" double precision NOT NULL,
	"data_start" date,
	"data_end" date,
	"customers" integer DEFAULT 0 NOT NULL,
	"repeat_customers" integer DEFAULT 0 NOT NULL,
	"models" jsonb,
	"diagnostics" jsonb,
	"portfolio" jsonb,
	"previous_fit_id" uuid,
	"timings" jsonb,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "value_fits_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "customer_values" ADD CONSTRAINT "customer_values_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_fit_schedules" ADD CONSTRAINT "value_fit_schedules_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_fits" ADD CONSTRAINT "value_fits_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_fits" ADD CONSTRAINT "value_fits_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_values_clv_idx" ON "customer_values" USING btree ("workspace_id","clv" DESC NULLS LAST,"customer_id");--> statement-breakpoint
CREATE INDEX "customer_values_alive_idx" ON "customer_values" USING btree ("workspace_id","p_alive" DESC NULLS LAST,"customer_id");--> statement-breakpoint
CREATE INDEX "customer_values_group_idx" ON "customer_values" USING btree ("workspace_id","rfm_group");--> statement-breakpoint
CREATE INDEX "value_fit_schedules_due_idx" ON "value_fit_schedules" USING btree ("next_run_at");--> statement-breakpoint
CREATE INDEX "value_fits_recent_idx" ON "value_fits" USING btree ("workspace_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "value_fits_active_key" ON "value_fits" USING btree ("workspace_id") WHERE "value_fits"."status" in ('queued', 'running');