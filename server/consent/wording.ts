import type { Channel } from "~/db/enums";

/** What a customer is unsubscribing from, in a sentence: "email", "SMS and push messages", ... */
export const channelMessages: Record<Channel, string> = {
  email: "email",
  mobile: "mobile messages (SMS and push)",
  web: "messages on the website",
  store: "messages in store",
  call_center: "calls",
  social: "social media messages",
  other: "other messages",
};
