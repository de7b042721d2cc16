ALTER TABLE "segment_members" DROP CONSTRAINT "segment_members_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "segment_membership_changes" DROP CONSTRAINT "segment_membership_changes_workspace_id_workspaces_id_fk";
