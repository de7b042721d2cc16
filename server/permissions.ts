import type { Role } from "~/db/enums";

/**
 * The one permission table. Procedures name a permission; the UI asks the same
 * table which controls to show, so a viewer never sees a button the server
 * would refuse.
 */
export const permissions = {
  /** Open the workspace: dashboard, scorecards, reports, customer pages. */
  "workspace:read": ["admin", "editor", "viewer"],
  /** Create and change content: assessments, segments, journeys, imports. */
  "content:write": ["admin", "editor"],
  /** Journeys' unpublished drafts; viewers read the latest published version only. */
  "drafts:read": ["admin", "editor"],
  "members:read": ["admin", "editor", "viewer"],
  /** Add, invite, re-role and remove members. */
  "members:manage": ["admin"],
  /** Workspace name and settings, API keys. */
  "settings:manage": ["admin"],
  "audit:read": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role != null && (permissions[permission] as readonly Role[]).includes(role);
}

export const roleDescriptions: Record<Role, string> = {
  admin: "Manages members, settings and API keys, and can change everything",
  editor: "Marketing and IT staff: creates and changes assessments, segments, journeys and data",
  viewer: "Reads scorecards and reports; changes nothing",
};
