CREATE TABLE "value_thresholds" (
	"workspace_id" uuid NOT NULL,
	"fit_id" uuid NOT NULL,
	"key" text NOT NULL,
	"threshold" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_thresholds_workspace_id_fit_id_key_pk" PRIMARY KEY("workspace_id","fit_id","key")
);
--> statement-breakpoint
ALTER TABLE "value_thresholds" ADD CONSTRAINT "value_thresholds_workspace_id_fit_id_value_fits_workspace_id_id_fk" FOREIGN KEY ("workspace_id","fit_id") REFERENCES "public"."value_fits"("workspace_id","id") ON DELETE cascade ON UPDATE no action;