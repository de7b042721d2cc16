import "server-only";
import type { DbOrTx } from "~/db";
import type { Channel } from "~/db/enums";
import { events } from "~/db/schema";

// What running journeys write on customers' timelines: Journey Entered and
// Journey Exited, Message Sent, Message Failed and Message Skipped, with the
// journey, version, touchpoint and variant in the properties. They are events
// like any other (segments and analytics can read them) with source "journey",
// and each has a message id made from what it records, so writing it twice
// (a step retried after a crash) stores it once.

export const JOURNEY_EVENT_SOURCE = "journey";

export interface JourneyTimelineEvent {
  workspaceId: string;
  customerId: string;
  /** Unique per workspace: what makes a retried write a no-op. */
  key: string;
  event: string;
  channel: Channel;
  properties: Record<string, unknown>;
  at: Date;
}

export async function writeJourneyEvents(db: DbOrTx, rows: JourneyTimelineEvent[]) {
  if (rows.length === 0) return;
  await db
    .insert(events)
    .values(
      rows.map((row) => ({
        workspaceId: row.workspaceId,
        customerId: row.customerId,
        profileId: row.customerId,
        messageId: `journey:${row.key}`,
        type: "track" as const,
        event: row.event,
        channel: row.channel,
        properties: row.properties,
        timestamp: row.at,
        source: JOURNEY_EVENT_SOURCE,
      })),
    )
    .onConflictDoNothing({ target: [events.workspaceId, events.messageId] });
}
