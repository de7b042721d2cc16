import type { Permission } from "~/server/permissions";

/** The settings tabs, in order. A tab with a permission is shown only to roles that have it. */
export const settingsTabs: { segment: string; label: string; permission?: Permission }[] = [
  { segment: "", label: "General" },
  { segment: "/members", label: "Members" },
  { segment: "/api-keys", label: "API keys", permission: "settings:manage" },
  { segment: "/audit", label: "Audit log", permission: "audit:read" },
];
