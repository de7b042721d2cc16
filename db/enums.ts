// The value lists behind the schema's PostgreSQL enums. db/schema.ts builds its
// pgEnums from these, and client code, zod schemas and pure domain modules import
// them from here, so none of them pulls in the table definitions.

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

export const roles = ["admin", "editor", "viewer"] as const;
export type Role = (typeof roles)[number];

// ---------------------------------------------------------------------------
// Customer data: events, identities, refusals, jobs and imports
// ---------------------------------------------------------------------------

/** The channels an event can come through. */
export const channels = ["web", "mobile", "email", "store", "call_center", "social", "other"] as const;
export type Channel = (typeof channels)[number];

export const eventTypes = ["identify", "track", "page", "screen", "group", "alias"] as const;
export type EventType = (typeof eventTypes)[number];

export const identityKinds = ["user_id", "anonymous_id", "email", "phone"] as const;
export type IdentityKind = (typeof identityKinds)[number];

export const refusalReasons = ["invalid", "too_large", "malformed", "rate_limited", "origin_not_allowed"] as const;
export type RefusalReason = (typeof refusalReasons)[number];

export const jobStatuses = ["queued", "running", "paused", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const importKinds = ["customers", "events"] as const;
export type ImportKind = (typeof importKinds)[number];

// ---------------------------------------------------------------------------
// Customer value
// ---------------------------------------------------------------------------

export const valueFitStatuses = ["queued", "running", "succeeded", "failed"] as const;
export type ValueFitStatus = (typeof valueFitStatuses)[number];

/** A live fit scores every customer on all data; a holdout check only validates the models on a past calibration end. */
export const valueFitPurposes = ["live", "holdout"] as const;
export type ValueFitPurpose = (typeof valueFitPurposes)[number];

/** "auto" picks the purchase model from the holdout comparison (server/value/model-choice.ts). */
export const valueModelChoices = ["auto", "bgnbd", "mbgnbd", "pnbd"] as const;
export type ValueModelChoice = (typeof valueModelChoices)[number];

/** The named groups of the RFM segment map (server/value/rfm.ts), best first. */
export const rfmGroups = [
  "champions",
  "loyal",
  "potential loyalist",
  "new",
  "at risk",
  "cannot lose",
  "hibernating",
  "lost",
] as const;
export type RfmGroup = (typeof rfmGroups)[number];

export const valueSchedules = ["off", "daily", "weekly"] as const;
export type ValueSchedule = (typeof valueSchedules)[number];

// ---------------------------------------------------------------------------
// Segments and journeys
// ---------------------------------------------------------------------------

export const segmentSchedules = ["off", "hourly", "daily"] as const;
export type SegmentSchedule = (typeof segmentSchedules)[number];

export const segmentChanges = ["entered", "left"] as const;
export type SegmentChange = (typeof segmentChanges)[number];

export const journeyCommentTargets = ["journey", "stage", "touchpoint"] as const;
export type JourneyCommentTarget = (typeof journeyCommentTargets)[number];

// ---------------------------------------------------------------------------
// Maturity
// ---------------------------------------------------------------------------

export const maturityStatuses = ["open", "final"] as const;
export type MaturityStatus = (typeof maturityStatuses)[number];

export const maturityConfidences = ["low", "medium", "high"] as const;
export type MaturityConfidence = (typeof maturityConfidences)[number];

export const initiativeStatuses = ["planned", "in_progress", "done", "blocked"] as const;
export type InitiativeStatus = (typeof initiativeStatuses)[number];

export const initiativeLinkKinds = ["segment", "journey"] as const;
export type InitiativeLinkKind = (typeof initiativeLinkKinds)[number];

// ---------------------------------------------------------------------------
// Destinations: where journeys' messages go
// ---------------------------------------------------------------------------

/** Outbox: kept in the app (the default); smtp: email; webhook: a signed POST (SMS, push, ads, a CRM). */
export const destinationKinds = ["outbox", "smtp", "webhook"] as const;
export type DestinationKind = (typeof destinationKinds)[number];

/** queued → sent, or back to queued with a later attempt, or dead after the last attempt. */
export const deliveryStatuses = ["queued", "sent", "dead"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

// ---------------------------------------------------------------------------
// Journeys that run
// ---------------------------------------------------------------------------

/** live → paused → live …, and stopped for good (a journey can go live again as a new run). */
export const journeyRunStatuses = ["live", "paused", "stopped"] as const;
export type JourneyRunStatus = (typeof journeyRunStatuses)[number];

/** active: on its path (waiting or due); completed: reached an exit or the end; exited: left early. */
export const enrollmentStates = ["active", "completed", "exited"] as const;
export type EnrollmentState = (typeof enrollmentStates)[number];

// ---------------------------------------------------------------------------
// Consent: whether a customer may be sent messages on a channel
// ---------------------------------------------------------------------------

export const consentStates = ["subscribed", "unsubscribed"] as const;
export type ConsentState = (typeof consentStates)[number];

/** link: the customer's unsubscribe link; trait: an identify trait (docs/destinations.md); manual: a person in Centric. */
export const consentSources = ["link", "trait", "manual"] as const;
export type ConsentSource = (typeof consentSources)[number];
