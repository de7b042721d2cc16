import "server-only";
import { z } from "zod";
import { ZNewReadKey, ZReadKeyOrigins, ZReadKeys, ZRevokedReadKey } from "~/server/profiles/outputs";
import { createReadKey, listReadKeys, revokeReadKey, setReadKeyOrigins } from "~/server/profiles/read-keys";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { ZAllowedOrigins } from "~/server/writekeys/origins";
import { ZWriteKeyName } from "~/server/writekeys/writekeys";

// Read keys of the profile API (docs/profiles-api.md), for admins: they read customers' data.

export const ZCreateReadKeyInput = z.object({ name: ZWriteKeyName });
export const ZRevokeReadKeyInput = z.object({ keyId: z.uuid("keyId must be a read key id") });
export const ZSetReadKeyOriginsInput = ZRevokeReadKeyInput.extend({ allowedOrigins: ZAllowedOrigins });

export const readKeyRouter = createTRPCRouter({
  list: workspaceProcedure("settings:manage")
    .output(ZReadKeys)
    .query(({ ctx }) => listReadKeys(ctx.db, ctx.workspaceId)),

  /** The key's text is in this answer only. */
  create: workspaceProcedure("settings:manage")
    .input(ZCreateReadKeyInput)
    .output(ZNewReadKey)
    .mutation(async ({ ctx, input }) => {
      const key = await createReadKey(ctx.db, {
        workspaceId: ctx.workspaceId,
        name: input.name,
        createdBy: ctx.session.user.id,
      });
      ctx.audit({ summary: `created the read key “${key.name}”`, details: { keyId: key.id } });
      return key;
    }),

  revoke: workspaceProcedure("settings:manage")
    .input(ZRevokeReadKeyInput)
    .output(ZRevokedReadKey)
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeReadKey(ctx.db, { workspaceId: ctx.workspaceId, keyId: input.keyId });
      ctx.audit({ summary: `revoked the read key “${revoked.name}”`, details: { keyId: revoked.id } });
      return revoked;
    }),

  /** Which pages' browsers may read with a key; an empty list lets any page. */
  setAllowedOrigins: workspaceProcedure("settings:manage")
    .input(ZSetReadKeyOriginsInput)
    .output(ZReadKeyOrigins)
    .mutation(async ({ ctx, input }) => {
      const updated = await setReadKeyOrigins(ctx.db, {
        workspaceId: ctx.workspaceId,
        keyId: input.keyId,
        allowedOrigins: input.allowedOrigins,
      });
      const origins = updated.allowedOrigins;
      ctx.audit({
        summary:
          origins.length === 0
            ? `let pages of any origin read profiles with the read key “${updated.name}”`
            : `limited the read key “${updated.name}” to pages of ${origins.join(", ")}`,
        details: { keyId: updated.id, allowedOrigins: origins },
      });
      return updated;
    }),
});
