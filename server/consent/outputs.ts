import { z } from "zod";
import { consentSources, consentStates } from "~/db/enums";
import { describes, ZChannel, ZInstant, type Resolved } from "~/server/output-schemas";
import type { addSuppression, listConsent, listSuppressions, removeSuppression, setConsent } from "./store";

// What the consent procedures return.

export const ZChannelConsents = describes<Resolved<typeof listConsent>>()(
  z.array(
    z.object({
      channel: ZChannel,
      state: z.enum(consentStates),
      source: z.enum(consentSources).nullable(),
      changedAt: ZInstant.nullable(),
      changedBy: z.string().nullable(),
    }),
  ),
);

export const ZConsentSet = describes<Resolved<typeof setConsent>>()(
  z.object({ customerId: z.string(), changed: z.array(ZChannel) }),
);

export const ZSuppressions = describes<Resolved<typeof listSuppressions>>()(
  z.array(
    z.object({
      channel: ZChannel,
      address: z.string(),
      reason: z.string(),
      createdAt: ZInstant,
      addedBy: z.string().nullable(),
    }),
  ),
);

const ZSuppressionKey = z.object({ channel: ZChannel, address: z.string() });
export const ZSuppressionAdded = describes<Resolved<typeof addSuppression>>()(ZSuppressionKey);
export const ZSuppressionRemoved = describes<Resolved<typeof removeSuppression>>()(ZSuppressionKey);
