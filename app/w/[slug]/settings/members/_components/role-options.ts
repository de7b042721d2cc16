import type { Role } from "~/db/enums";
import { roleDescriptions } from "~/server/permissions";

/** Roles in the order a select lists them, with what each may do. */
export const roleOptions = (Object.keys(roleDescriptions) as Role[]).map((role) => ({
  role,
  label: role.charAt(0).toUpperCase() + role.slice(1),
  description: roleDescriptions[role],
}));
