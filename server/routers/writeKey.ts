import "server-only";
import { z } from "zod";
import { listRefusals } from "~/server/ingest/refusals";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { ZAllowedOrigins } from "~/server/writekeys/origins";
import {
  ZKeyRefusals,
  ZNewWriteKey,
  ZRevokedWriteKey,
  ZWriteKeyOrigins,
  ZWriteKeys,
} from "~/server/writekeys/outputs";
import {
  createWriteKey,
  listWriteKeys,
  revokeWriteKey,
  setAllowedOrigins,
  ZWriteKeyName,
} from "~/server/writekeys/writekeys";

export const ZCreateWriteKeyInput = z.object({ name: ZWriteKeyName });
export const ZRevokeWriteKeyInput = z.object({ keyId: z.uuid("keyId must be a write key id") });
export const ZSetAllowedOriginsInput = ZRevokeWriteKeyInput.extend({ allowedOrigins: ZAllowedOrigins });

export const writeKeyRouter = createTRPCRouter({
  list: workspaceProcedure("settings:manage")
    .output(ZWriteKeys)
    .query(({ ctx }) => listWriteKeys(ctx.db, ctx.workspaceId)),

  /** What the tracking API refused, per key: for admins, who fix senders and keys; never a key's secret. */
  refusals: workspaceProcedure("settings:manage")
    .output(ZKeyRefusals)
    .query(({ ctx }) => listRefusals(ctx.db, ctx.workspaceId)),

  create: workspaceProcedure("settings:manage")
    .input(ZCreateWriteKeyInput)
    .output(ZNewWriteKey)
    .mutation(async ({ ctx, input }) => {
      const key = await createWriteKey(ctx.db, {
        workspaceId: ctx.workspaceId,
        name: input.name,
        createdBy: ctx.session.user.id,
      });
      // The log names the key by id: a copy of the secret there would outlive its revocation.
      ctx.audit({
        summary: `created the write key “${key.name}”`,
        details: { keyId: key.id },
      });
      return key;
    }),

  revoke: workspaceProcedure("settings:manage")
    .input(ZRevokeWriteKeyInput)
    .output(ZRevokedWriteKey)
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeWriteKey(ctx.db, { workspaceId: ctx.workspaceId, keyId: input.keyId });
      ctx.audit({ summary: `revoked the write key “${revoked.name}”` });
      return revoked;
    }),

  /** Which pages' browsers may send with a key; an empty list lets any page (the default). */
  setAllowedOrigins: workspaceProcedure("settings:manage")
    .input(ZSetAllowedOriginsInput)
    .output(ZWriteKeyOrigins)
    .mutation(async ({ ctx, input }) => {
      const updated = await setAllowedOrigins(ctx.db, {
        workspaceId: ctx.workspaceId,
        keyId: input.keyId,
        allowedOrigins: input.allowedOrigins,
      });
      const origins = updated.allowedOrigins;
      ctx.audit({
        summary:
          origins.length === 0
            ? `let pages of any origin send with the write key “${updated.name}”`
            : `limited the write key “${updated.name}” to pages of ${origins.join(", ")}`,
        details: { keyId: updated.id, allowedOrigins: origins },
      });
      return updated;
    }),
});
