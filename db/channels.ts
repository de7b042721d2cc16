// The channels an event can come through. Kept apart from db/schema.ts so that
// client code (the journey designer's checks) can use the list without pulling
// in the table definitions.

export const channels = ["web", "mobile", "email", "store", "call_center", "social", "other"] as const;
export type Channel = (typeof channels)[number];
