import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect, type Database, type DatabaseHandle } from "~/db";
import { insertImportedEvents, resolveUserIds } from "~/server/imports/bulk-events";
import { ingestMessages } from "~/server/ingest/ingest";
import { normaliseMessage } from "~/server/ingest/messages";
import { describeEachDatabase } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { deal, makePerson, seededRandom, type Person, type Random } from "~/test/identity-scenario";

// Identity resolution under many clients at once: people reached through
// overlapping identifiers (each person's own) by batches sent at the same
// moment, in a seeded random order. Whatever the interleaving, every person
// must end as exactly one standing profile with all their events and
// identifiers, and a merged profile must keep none.

const CLIENTS = 8;
const SEED = 917;

describeEachDatabase("identity resolution under concurrent clients", (getDb, _kind, getTestDatabase) => {
  // A connection per tracking client, and two for the import's chunks, so that they all run at once.
  let clients: DatabaseHandle[] = [];
  let importer: DatabaseHandle | undefined;
  beforeAll(() => {
    const { url } = getTestDatabase();
    clients = Array.from({ length: CLIENTS }, () =>
      connect(url, { max: 1, applicationName: "identity-race" }),
    );
    importer = connect(url, { max: 2, applicationName: "identity-race-import" });
  });
  afterAll(async () => {
    await Promise.all([...clients, importer!].map((client) => client.close()));
  });

  /** Each client sends its batches one after another; all clients at once. */
  async function sendAtOnce(workspaceId: string, perClient: Record<string, unknown>[][][]) {
    const results = await Promise.all(
      perClient.map(async (batches, i) => {
        const stored = [];
        for (const messages of batches) {
          stored.push(await ingestMessages(clients[i]!.db, { workspaceId, messages, source: "api" }));
        }
        return stored;
      }),
    );
    const all = results.flat();
    expect(all.flatMap((r) => r.rejected)).toEqual([]);
    return all.reduce((sum, r) => sum + r.accepted, 0);
  }

  /** A round: the people's separate profiles are stored at once, then the messages that link them. */
  async function playRound(
    random: Random,
    workspaceId: string,
    people: Person[],
    during?: () => Promise<void>,
  ) {
    const history = people.flatMap((p) => p.history);
    const linking = people.flatMap((p) => p.linking);
    expect(await sendAtOnce(workspaceId, deal(random, history, CLIENTS))).toBe(history.length);
    const [accepted] = await Promise.all([
      sendAtOnce(workspaceId, deal(random, linking, CLIENTS)),
      during?.(),
    ]);
    expect(accepted).toBe(linking.length);
  }

  it("gives every person one profile with all their events and identifiers, batches racing through different identifiers", async () => {
    const { workspace } = await makeWorkspace(getDb());
    const random = seededRandom(SEED);
    const people: Person[] = [];
    for (let round = 0; round < 12; round++) {
      const inRound = Array.from({ length: 5 }, (_, i) => makePerson(random, `r${round}-p${i}`));
      await playRound(random, workspace.id, inRound);
      people.push(...inRound);
    }
    const outcome = await outcomeOf(getDb(), workspace.id, people);
    expect(outcome.problems).toEqual([]);
    // The summaries count what the profile holds.
    expect(outcome.summaryMismatches).toEqual([]);
  });

  it("files imported events on the profile their user id has now, while tracking batches merge it away", async () => {
    const { workspace } = await makeWorkspace(getDb());
    const random = seededRandom(SEED + 1);
    const people: Person[] = [];
    for (let round = 0; round < 6; round++) {
      const inRound = Array.from({ length: 5 }, (_, i) => makePerson(random, `i${round}-p${i}`));
      const rows = inRound.flatMap((person) =>
        importedIds(person).map((messageId) => ({ person, messageId })),
      );
      // Small import chunks on two connections of their own, while the tracking API links the people.
      await playRound(random, workspace.id, inRound, async () => {
        await Promise.all(
          deal(random, rows, 2).map(async (chunks) => {
            for (const chunk of chunks) await importChunk(importer!.db, workspace.id, chunk);
          }),
        );
      });
      people.push(...inRound);
    }
    const outcome = await outcomeOf(getDb(), workspace.id, people, importedIds);
    // Summaries are not compared: an import counts its events in its last phase.
    expect(outcome.problems).toEqual([]);
  });
});

/** The events imported for a person: three, when they have a user id. */
const importedIds = (person: Person) =>
  person.userId ? [0, 1, 2].map((k) => `${person.name}-imported-${k}`) : [];

/** What an events import does with one chunk of rows that name their customer by user id. */
async function importChunk(db: Database, workspaceId: string, rows: { person: Person; messageId: string }[]) {
  const at = new Date("2025-06-01T00:00:00Z");
  const messages = rows.map(({ person, messageId }) => {
    const result = normaliseMessage(
      {
        type: "track",
        userId: person.userId,
        event: "Order Completed",
        properties: { revenue: 5 },
        messageId,
        timestamp: at.toISOString(),
      },
      at,
    );
    if (!result.ok) throw new Error(result.error);
    return result.message;
  });
  const customers = await resolveUserIds(db, workspaceId, messages);
  await db.transaction((tx) =>
    insertImportedEvents(tx, { workspaceId, messages, customers, source: "import:race", receivedAt: at }),
  );
}

/**
 * Where each person's identifiers and events ended: a problem per person
 * whose history is not on exactly one standing profile, and one for events or
 * identifiers left on merged profiles.
 */
async function outcomeOf(
  db: Database,
  workspaceId: string,
  people: Person[],
  importedOf: (person: Person) => string[] = () => [],
) {
  const [identityRows, eventRows, customerRows] = await Promise.all([
    db.execute<{ value: string; customer_id: string }>(
      sql`select value, customer_id from identities where workspace_id = ${workspaceId}`,
    ),
    db.execute<{ message_id: string; customer_id: string }>(
      sql`select message_id, customer_id from events where workspace_id = ${workspaceId}`,
    ),
    db.execute<{ id: string; merged_into: string | null; event_count: number }>(
      sql`select id, merged_into, event_count from customers where workspace_id = ${workspaceId}`,
    ),
  ]);
  const profileOfIdentifier = new Map(identityRows.rows.map((r) => [r.value, r.customer_id]));
  const profileOfEvent = new Map(eventRows.rows.map((r) => [r.message_id, r.customer_id]));
  const customers = new Map(customerRows.rows.map((r) => [r.id, r]));
  const problems: string[] = [];
  const summaryMismatches: string[] = [];

  for (const person of people) {
    const messageIds = [...person.history, ...person.linking].map((m) => m.messageId as string);
    messageIds.push(...importedOf(person));
    const eventProfiles = messageIds.map((id) => profileOfEvent.get(id) ?? "(not stored)");
    const identifierProfiles = person.identifiers.map(
      (i) => profileOfIdentifier.get(i.value) ?? "(not stored)",
    );
    const profiles = new Set([...eventProfiles, ...identifierProfiles]);
    const [profile] = profiles;
    if (profiles.size !== 1 || customers.get(profile!)?.merged_into !== null) {
      const onMerged = eventProfiles.filter((p) => customers.get(p)?.merged_into).length;
      const identifiersOnMerged = identifierProfiles.filter((p) => customers.get(p)?.merged_into).length;
      problems.push(
        `${person.name}: ${profiles.size} profiles; ${onMerged} of ${messageIds.length} events and ` +
          `${identifiersOnMerged} of ${person.identifiers.length} identifiers on merged profiles`,
      );
    } else if (customers.get(profile!)!.event_count !== messageIds.length) {
      summaryMismatches.push(
        `${person.name}: ${customers.get(profile!)!.event_count} counted, ${messageIds.length} held`,
      );
    }
  }

  const onMerged = (profileIds: Iterable<string>) =>
    [...profileIds].filter((id) => customers.get(id)?.merged_into).length;
  const mergedEvents = onMerged(profileOfEvent.values());
  const mergedIdentifiers = onMerged(profileOfIdentifier.values());
  if (mergedEvents + mergedIdentifiers > 0) {
    problems.push(`merged profiles hold ${mergedEvents} events and ${mergedIdentifiers} identifiers`);
  }
  const standing = customerRows.rows.filter((c) => c.merged_into === null).length;
  if (standing !== people.length) problems.push(`${standing} standing profiles for ${people.length} people`);
  return { problems, summaryMismatches };
}
