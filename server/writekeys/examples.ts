// The first-event examples, shared by Settings → API keys and the banner of
// `npm start`, so both show the same call. Pure: safe in the browser.

export const WRITE_KEY_PLACEHOLDER = "YOUR_WRITE_KEY";

const exampleTrack = {
  userId: "ana-1",
  event: "Order Completed",
  properties: { revenue: 42.5 },
};

/** A track call with curl: the key is the HTTP Basic user name, the password empty (`-u KEY:`). */
export function curlTrackCommand(origin: string, writeKey: string, { oneLine = false } = {}) {
  const parts = [
    `curl -u ${writeKey}: ${origin}/api/v1/track`,
    `-H 'Content-Type: application/json'`,
    `-d '${JSON.stringify(exampleTrack)}'`,
  ];
  return oneLine ? parts.join(" ") : parts.join(" \\\n  ");
}

/** @segment/analytics-node posts to Segment's path, /v1/batch, which Centric answers too. */
export function analyticsNodeSnippet(origin: string, writeKey: string) {
  return `import { Analytics } from "@segment/analytics-node";

const analytics = new Analytics({ writeKey: "${writeKey}", host: "${origin}" });

analytics.identify({ userId: "ana-1", traits: { name: "Ana Lima", email: "ana@example.com" } });
analytics.track({ userId: "ana-1", event: "Order Completed", properties: { revenue: 42.5, currency: "EUR" } });

await analytics.closeAndFlush();`;
}
