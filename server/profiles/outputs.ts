import { z } from "zod";
import { describes, ZInstant, type Resolved } from "~/server/output-schemas";
import type { createReadKey, listReadKeys, revokeReadKey, setReadKeyOrigins } from "./read-keys";

// What the read key procedures return. The key's text is in the answer to create
// alone: it is not kept, so no later answer can carry it.

const ZReadKeyHead = z.object({ id: z.string(), name: z.string() });

export const ZNewReadKey = describes<Resolved<typeof createReadKey>>()(
  ZReadKeyHead.extend({ prefix: z.string(), key: z.string(), createdAt: ZInstant }),
);

export const ZReadKeys = describes<Resolved<typeof listReadKeys>>()(
  z.array(
    ZReadKeyHead.extend({
      prefix: z.string(),
      createdAt: ZInstant,
      createdByName: z.string().nullable(),
      lastUsedAt: ZInstant.nullable(),
      revokedAt: ZInstant.nullable(),
      allowedOrigins: z.array(z.string()),
    }),
  ),
);

export const ZRevokedReadKey = describes<Resolved<typeof revokeReadKey>>()(
  ZReadKeyHead.extend({ revokedAt: ZInstant }),
);

export const ZReadKeyOrigins = describes<Resolved<typeof setReadKeyOrigins>>()(
  ZReadKeyHead.extend({ allowedOrigins: z.array(z.string()) }),
);
