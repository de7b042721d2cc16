import { parseAsStringLiteral } from "nuqs";
import { initiativeStatuses } from "~/db/enums";

// The initiative list's grouping and status filter as URL parameters (nuqs), so
// a reload, a shared link and the back button show the same list. A bad value
// reads as the default.

export const groupings = ["dimension", "status"] as const;

export const initiativeListParams = {
  group: parseAsStringLiteral(groupings).withDefault("dimension"),
  /** Absent: every status. */
  status: parseAsStringLiteral(initiativeStatuses),
};
