import { z } from "zod";
import { describes, orUndefined, ZFreeForm, ZInstant, type Resolved } from "~/server/output-schemas";
import type { listAuditEvents } from "./audit";

export const ZAuditEvent = z.object({
  id: z.number(),
  action: z.string(),
  summary: z.string(),
  /** The redacted input and what the handler noted. */
  details: ZFreeForm,
  createdAt: ZInstant,
  actorName: z.string().nullable(),
  actorEmail: z.string().nullable(),
});

export const ZAuditPage = describes<Resolved<typeof listAuditEvents>>()(
  z.object({ events: z.array(ZAuditEvent), nextCursor: orUndefined(z.number()) }),
);
