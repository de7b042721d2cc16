import { z } from "zod";
import { segmentSchedules } from "~/db/enums";

// A segment as segment.create and segment.update take it, with the message a
// form shows for each field. Pure, so that the segment editor checks its
// fields in the browser with the same schema. The rule arrives as unknown and
// is checked by parseRule (./rules.ts), which names the path of each bad node.

const schedules = segmentSchedules;

export const ZSegmentInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the segment a name")
    .max(120, "A segment name has at most 120 characters"),
  description: z.string().trim().max(2000, "A description has at most 2,000 characters").default(""),
  rule: z.unknown(),
  schedule: z.enum(schedules, `The refresh schedule is one of ${schedules.join(", ")}`).default("daily"),
});

/** The segment's own fields, without the rule: what the editor's details card holds. */
export const ZSegmentDetails = ZSegmentInput.omit({ rule: true });
