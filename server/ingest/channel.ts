import { channels, type Channel, type EventType } from "~/db/enums";

// Which channel an event came through. The rule, in order (docs/events-api.md):
//  1. context.channel, then properties.channel, then the message's own
//     channel (RudderStack's SDKs send one), when it names a channel
//     (synonyms such as "app", "pos" or "phone" are understood);
//  2. screen → mobile, page → web;
//  3. the sending library (context.library.name), before the context below,
//     since RudderStack's browser SDK also sends context.app:
//     analytics.js / analytics-next / RudderStack's JavaScript SDK → web;
//     Segment's analytics-ios, -android, -react-native, -swift, -kotlin,
//     -flutter and RudderStack's Android, iOS, React Native and Flutter SDKs → mobile;
//  4. context.app or a mobile context.device → mobile; context.page or a
//     browser user agent → web;
//  5. track events named "Email …" → email;
//  6. otherwise other.

const synonyms: Record<string, Channel> = {
  website: "web",
  browser: "web",
  online: "web",
  app: "mobile",
  ios: "mobile",
  android: "mobile",
  "mobile app": "mobile",
  pos: "store",
  retail: "store",
  shop: "store",
  "in store": "store",
  "in-store": "store",
  "call center": "call_center",
  "call centre": "call_center",
  callcenter: "call_center",
  phone: "call_center",
  support: "call_center",
  newsletter: "email",
  facebook: "social",
  instagram: "social",
  twitter: "social",
  tiktok: "social",
  linkedin: "social",
};

export function parseChannel(value: unknown): Channel | undefined {
  if (typeof value !== "string") return undefined;
  const key = value.trim().toLowerCase();
  if ((channels as readonly string[]).includes(key)) return key as Channel;
  return synonym(key) ?? synonym(key.replace(/_/g, " "));
}

/** Own keys only: "constructor" or "__proto__" would find Object's own and store it as a channel. */
function synonym(key: string) {
  return Object.hasOwn(synonyms, key) ? synonyms[key] : undefined;
}

const mobileLibraries =
  /analytics-(ios|android|react-native|swift|kotlin|flutter)|segment_flutter|rudder-?(ios|android|sdk-react-native|sdk-flutter|flutter)|com\.rudderstack\.android/i;
const webLibraries =
  /^(analytics\.js|analytics-next|@segment\/analytics-next|analytics-js|RudderLabs JavaScript SDK)/i;

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function deriveChannel(message: {
  type: EventType;
  event: string | null;
  context: Record<string, unknown>;
  properties: Record<string, unknown>;
  channel?: unknown;
}): Channel {
  const { context, properties } = message;
  const given =
    parseChannel(context.channel) ?? parseChannel(properties.channel) ?? parseChannel(message.channel);
  if (given) return given;
  if (message.type === "screen") return "mobile";
  if (message.type === "page") return "web";

  const library = record(context.library)?.name;
  if (typeof library === "string") {
    if (mobileLibraries.test(library)) return "mobile";
    if (webLibraries.test(library)) return "web";
  }
  const deviceType = record(context.device)?.type;
  if (record(context.app) || (typeof deviceType === "string" && /ios|android/i.test(deviceType)))
    return "mobile";
  if (record(context.page) || (typeof context.userAgent === "string" && /Mozilla\//.test(context.userAgent)))
    return "web";

  if (message.type === "track" && message.event && /^email\b/i.test(message.event)) return "email";
  return "other";
}
