import { connect } from "~/db/index";
import { startDeliveryLoop } from "~/server/destinations/loop";
import { startJourneyLoop } from "~/server/journeys/run/loop";

// The journey runner's loop and the delivery sender, as a server process runs
// them beside the app, in a process of their own on the database given as the
// first argument. The crash test (server/journeys/run/crash.test.ts) kills it
// mid-run and starts it again. Usage: node --import tsx test/journey-worker.ts <url> [batch]

const [url, batch = "100"] = process.argv.slice(2);
if (!url) {
  console.error("usage: journey-worker.ts <database url> [batch]");
  process.exit(2);
}
const { db, close } = connect(url, { max: 3, applicationName: "centric journey worker" });
const stopJourneys = startJourneyLoop({ db, intervalMs: 50, batch: Number(batch) });
const stopDeliveries = startDeliveryLoop({ db, intervalMs: 50, batch: 50 });
console.log("worker ready");
process.on("SIGTERM", () => {
  stopJourneys();
  stopDeliveries();
  void close().then(() => process.exit(0));
});
