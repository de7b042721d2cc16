import { z } from "zod";
import { refusalReasons } from "~/db/enums";
import type { listRefusals } from "~/server/ingest/refusals";
import { describes, ZInstant, type Resolved } from "~/server/output-schemas";
import type { createWriteKey, listWriteKeys, revokeWriteKey, setAllowedOrigins } from "./writekeys";

// What the write key procedures return. Keys ship inside web pages and apps, so
// admins see them in full (server/writekeys/writekeys.ts); what the tracking API
// refused is described without any key.

const ZWriteKeyHead = z.object({ id: z.string(), name: z.string() });

export const ZNewWriteKey = describes<Resolved<typeof createWriteKey>>()(
  ZWriteKeyHead.extend({ key: z.string(), createdAt: ZInstant }),
);

export const ZWriteKeys = describes<Resolved<typeof listWriteKeys>>()(
  z.array(
    ZNewWriteKey.extend({
      createdByName: z.string().nullable(),
      lastUsedAt: ZInstant.nullable(),
      revokedAt: ZInstant.nullable(),
      allowedOrigins: z.array(z.string()),
    }),
  ),
);

export const ZRevokedWriteKey = describes<Resolved<typeof revokeWriteKey>>()(
  ZWriteKeyHead.extend({ revokedAt: ZInstant }),
);

export const ZWriteKeyOrigins = describes<Resolved<typeof setAllowedOrigins>>()(
  ZWriteKeyHead.extend({ allowedOrigins: z.array(z.string()) }),
);

const ZRefusalReason = z.enum(refusalReasons);

export const ZKeyRefusals = describes<Resolved<typeof listRefusals>>()(
  z.array(
    z.object({
      keyId: z.string(),
      keyName: z.string(),
      revoked: z.boolean(),
      total: z.number(),
      lastAt: ZInstant,
      counts: z.array(z.object({ reason: ZRefusalReason, count: z.number(), lastAt: ZInstant })),
      latest: z.array(
        z.object({
          id: z.number(),
          reason: ZRefusalReason,
          error: z.string(),
          excerpt: z.string().nullable(),
          position: z.number().nullable(),
          refusedAt: ZInstant,
        }),
      ),
    }),
  ),
);
