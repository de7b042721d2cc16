import { z } from "zod";
import { initiativeLinkKinds, initiativeStatuses } from "~/db/enums";
import { ZModelKey } from "./model";

// The maturity inputs that forms check in the browser with the procedures'
// own schemas (server/routers/maturity/inputs.ts has the rest): pure, so
// that a form shows the server's message for a field before anything is sent.

export const id = (what: string) => z.uuid(`That is not ${what} id`);
export const day = (what: string) => z.iso.date(`Give ${what} as YYYY-MM-DD`);
export const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} has at most ${max.toLocaleString("en")} characters`);

export const statuses = initiativeStatuses;
export const ZInitiativeData = z.object({
  dimensionKey: ZModelKey,
  title: z
    .string()
    .trim()
    .min(1, "Give the initiative a title")
    .max(200, "A title has at most 200 characters"),
  description: text(5000, "A description").default(""),
  ownerId: id("a member").nullable().default(null),
  ownerName: text(120, "An owner's name")
    .nullable()
    .default(null)
    .transform((name) => name || null),
  status: z.enum(statuses, `The status is one of ${statuses.join(", ")}`).default("planned"),
  dueDate: day("the due date").nullable().default(null),
  links: z
    .array(z.object({ kind: z.enum(initiativeLinkKinds), targetId: z.uuid("That is not an id") }))
    .max(50, "At most 50 segments and journeys per initiative")
    .default([]),
});

/** The reviewer's note of a finalised assessment. */
export const ZReviewerNote = text(5000, "The reviewer's note").default("");
