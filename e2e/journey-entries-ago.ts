// Moves a journey's entries back in time, as if its customers had entered `days` ago, and prints
// the user ids of those held out, for e2e/journey-impact.spec.ts: the Impact tab counts only
// entrants whose window (7 days at least) has passed, which a test cannot wait for.
//   node --import tsx e2e/journey-entries-ago.ts <journeyId> <days>
// It opens the run's database: E2E_DATABASE_URL, else the embedded one in CENTRIC_E2E_DATA_DIR.
import pg from "pg";
import { clusterDirOf, embeddedUrl } from "~/db/embedded";

const [journeyId, days] = process.argv.slice(2);
if (!journeyId || !/^\d+$/.test(days ?? "")) {
  console.error("usage: journey-entries-ago.ts <journeyId> <days>");
  process.exit(2);
}
const url = process.env.E2E_DATABASE_URL || embeddedUrl(clusterDirOf(process.env.CENTRIC_E2E_DATA_DIR!));
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await client.query(
    `update journey_enrollments set entered_at = entered_at - make_interval(days => $2::int),
       node_since = node_since - make_interval(days => $2::int),
       ended_at = ended_at - make_interval(days => $2::int)
     where journey_id = $1::uuid`,
    [journeyId, Number(days)],
  );
  const held = await client.query<{ value: string }>(
    `select i.value from journey_enrollments e
     join identities i on i.workspace_id = e.workspace_id and i.customer_id = e.customer_id and i.kind = 'user_id'
     where e.journey_id = $1::uuid and e.holdout order by 1`,
    [journeyId],
  );
  console.log(JSON.stringify(held.rows.map((r) => r.value)));
} finally {
  await client.end();
}
