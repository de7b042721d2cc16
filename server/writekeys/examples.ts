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

/**
 * @segment/analytics-next from npm, with its settings from this Centric
 * (`cdnURL`: it fetches <cdnURL>/v1/projects/<key>/settings, which points its
 * Segment.io destination at <origin>/v1) instead of Segment's CDN.
 */
export function analyticsNextNpmSnippet(origin: string, writeKey: string) {
  return `import { AnalyticsBrowser } from "@segment/analytics-next";

// Settings and events both go to Centric: nothing is sent to Segment.
export const analytics = AnalyticsBrowser.load({ writeKey: "${writeKey}", cdnURL: "${origin}" });

analytics.page();
analytics.track("Product Viewed", { sku: "SKU-42" });
// When the visitor signs in: their anonymous history joins their profile.
analytics.identify("ana-1", { name: "Ana Lima", email: "ana@example.com" });`;
}

/**
 * Segment's standard snippet (5.2.0), loading analytics.js from this Centric:
 * `analytics._cdn` makes the bundle fetch its chunks and settings from Centric
 * too, as for a self-hosted copy of analytics.js.
 */
export function analyticsNextScriptTag(origin: string, writeKey: string) {
  return `<script>
  !function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src="${origin}/analytics.js/v1/" + key + "/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey="${writeKey}";analytics._cdn="${origin}";analytics.SNIPPET_VERSION="5.2.0";
  analytics.load("${writeKey}");
  analytics.page();
  }}();
</script>`;
}

/** The user id of the test customer that Settings → API keys sends a test event for, with the key `keyName`. */
export function testCustomerId(keyName: string) {
  const slug = keyName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `centric-test-${slug || "key"}`;
}
