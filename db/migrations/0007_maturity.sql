CREATE TYPE "public"."maturity_initiative_link_kind" AS ENUM('segment', 'journey');--> statement-breakpoint
CREATE TYPE "public"."maturity_initiative_status" AS ENUM('planned', 'in_progress', 'done', 'blocked');--> statement-breakpoint
CREATE TYPE "public"."maturity_confidence" AS ENUM('low', 'medium', 'high');--> statement-breakpoint
CREATE TYPE "public"."maturity_assessment_status" AS ENUM('open', 'final');--> statement-breakpoint
CREATE TABLE "maturity_assessments" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"assessed_on" date NOT NULL,
	"model_id" uuid,
	"model_version" integer NOT NULL,
	"status" "maturity_assessment_status" DEFAULT 'open' NOT NULL,
	"finalised_by" uuid,
	"finalised_at" timestamp with time zone,
	"final_note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maturity_assessments_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "maturity_attachments" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"dimension_key" text NOT NULL,
	"uploaded_by" uuid,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maturity_attachments_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "maturity_final_levels" (
	"workspace_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"dimension_key" text NOT NULL,
	"level" smallint,
	"consensus_level" smallint,
	CONSTRAINT "maturity_final_levels_workspace_id_assessment_id_dimension_key_pk" PRIMARY KEY("workspace_id","assessment_id","dimension_key")
);
--> statement-breakpoint
CREATE TABLE "maturity_indicator_snapshots" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"readings" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maturity_initiative_links" (
	"workspace_id" uuid NOT NULL,
	"initiative_id" uuid NOT NULL,
	"kind" "maturity_initiative_link_kind" NOT NULL,
	"target_id" uuid NOT NULL,
	CONSTRAINT "maturity_initiative_links_workspace_id_initiative_id_kind_target_id_pk" PRIMARY KEY("workspace_id","initiative_id","kind","target_id")
);
--> statement-breakpoint
CREATE TABLE "maturity_initiatives" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"dimension_key" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_id" uuid,
	"owner_name" text,
	"status" "maturity_initiative_status" DEFAULT 'planned' NOT NULL,
	"due_date" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maturity_initiatives_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "maturity_model_versions" (
	"workspace_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maturity_model_versions_workspace_id_model_id_version_pk" PRIMARY KEY("workspace_id","model_id","version")
);
--> statement-breakpoint
CREATE TABLE "maturity_models" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maturity_models_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "maturity_scores" (
	"workspace_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"assessor_id" uuid NOT NULL,
	"dimension_key" text NOT NULL,
	"level" smallint,
	"confidence" "maturity_confidence",
	"notes" text DEFAULT '' NOT NULL,
	"evidence_text" text DEFAULT '' NOT NULL,
	"evidence_links" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maturity_scores_workspace_id_assessment_id_assessor_id_dimension_key_pk" PRIMARY KEY("workspace_id","assessment_id","assessor_id","dimension_key")
);
--> statement-breakpoint
CREATE TABLE "maturity_targets" (
	"workspace_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"dimension_key" text NOT NULL,
	"target_level" smallint NOT NULL,
	"target_date" date,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maturity_targets_workspace_id_assessment_id_dimension_key_pk" PRIMARY KEY("workspace_id","assessment_id","dimension_key")
);
--> statement-breakpoint
ALTER TABLE "maturity_assessments" ADD CONSTRAINT "maturity_assessments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_assessments" ADD CONSTRAINT "maturity_assessments_finalised_by_users_id_fk" FOREIGN KEY ("finalised_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_assessments" ADD CONSTRAINT "maturity_assessments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_assessments" ADD CONSTRAINT "maturity_assessments_workspace_id_model_id_model_version_maturity_model_versions_workspace_id_model_id_version_fk" FOREIGN KEY ("workspace_id","model_id","model_version") REFERENCES "public"."maturity_model_versions"("workspace_id","model_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_attachments" ADD CONSTRAINT "maturity_attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_attachments" ADD CONSTRAINT "maturity_attachments_workspace_id_assessment_id_maturity_assessments_workspace_id_id_fk" FOREIGN KEY ("workspace_id","assessment_id") REFERENCES "public"."maturity_assessments"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_final_levels" ADD CONSTRAINT "maturity_final_levels_workspace_id_assessment_id_maturity_assessments_workspace_id_id_fk" FOREIGN KEY ("workspace_id","assessment_id") REFERENCES "public"."maturity_assessments"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_indicator_snapshots" ADD CONSTRAINT "maturity_indicator_snapshots_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_initiative_links" ADD CONSTRAINT "maturity_initiative_links_workspace_id_initiative_id_maturity_initiatives_workspace_id_id_fk" FOREIGN KEY ("workspace_id","initiative_id") REFERENCES "public"."maturity_initiatives"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_initiatives" ADD CONSTRAINT "maturity_initiatives_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_initiatives" ADD CONSTRAINT "maturity_initiatives_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_initiatives" ADD CONSTRAINT "maturity_initiatives_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_model_versions" ADD CONSTRAINT "maturity_model_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_model_versions" ADD CONSTRAINT "maturity_model_versions_workspace_id_model_id_maturity_models_workspace_id_id_fk" FOREIGN KEY ("workspace_id","model_id") REFERENCES "public"."maturity_models"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_models" ADD CONSTRAINT "maturity_models_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_models" ADD CONSTRAINT "maturity_models_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_scores" ADD CONSTRAINT "maturity_scores_assessor_id_users_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_scores" ADD CONSTRAINT "maturity_scores_workspace_id_assessment_id_maturity_assessments_workspace_id_id_fk" FOREIGN KEY ("workspace_id","assessment_id") REFERENCES "public"."maturity_assessments"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_targets" ADD CONSTRAINT "maturity_targets_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maturity_targets" ADD CONSTRAINT "maturity_targets_workspace_id_assessment_id_maturity_assessments_workspace_id_id_fk" FOREIGN KEY ("workspace_id","assessment_id") REFERENCES "public"."maturity_assessments"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maturity_assessments_recent_idx" ON "maturity_assessments" USING btree ("workspace_id","status","assessed_on" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "maturity_attachments_assessment_idx" ON "maturity_attachments" USING btree ("workspace_id","assessment_id");--> statement-breakpoint
CREATE INDEX "maturity_initiatives_dimension_idx" ON "maturity_initiatives" USING btree ("workspace_id","dimension_key");--> statement-breakpoint
CREATE UNIQUE INDEX "maturity_models_key_key" ON "maturity_models" USING btree ("workspace_id","key");