import type { Permission } from "~/server/permissions";

/** The settings tabs, in order. A tab with a permission is shown only to roles that have it. */
export const settingsTabs: { segment: string; label: string; permission?: Permission }[] = [
  { segment: "", label: "General" },
  { segment: "/members", label: "Members" },
  // Everyone: the examples of sending events are for anyone who wires a site up; keys are for admins.
  { segment: "/api-keys", label: "API keys" },
  { segment: "/destinations", label: "Destinations", permission: "settings:manage" },
  { segment: "/suppressions", label: "Suppression list", permission: "settings:manage" },
  // Everyone: the messages journeys sent, as customers' own pages show them.
  { segment: "/outbox", label: "Outbox" },
  { segment: "/audit", label: "Audit log", permission: "audit:read" },
];
