// Prints a customer's unsubscribe link as the app makes it (server/consent/token.ts), for
// e2e/consent.spec.ts. Run with the app's NEXTAUTH_SECRET and NEXTAUTH_URL in the environment:
//   node --conditions=react-server --import tsx e2e/unsubscribe-link.ts <workspaceId> <customerId> <channel>
import { channels, type Channel } from "~/db/enums";
import { unsubscribeUrl } from "~/server/consent/token";

const [workspaceId, customerId, channel] = process.argv.slice(2);
if (!workspaceId || !customerId || !channels.includes(channel as Channel)) {
  console.error("usage: unsubscribe-link.ts <workspaceId> <customerId> <channel>");
  process.exit(2);
}
console.log(unsubscribeUrl({ workspaceId, customerId, channel: channel as Channel }));
