import type { Channel } from "~/db/enums";
import { normaliseEmail, normalisePhone } from "~/server/ingest/messages";

// How an address is compared on the suppression list: the same normalisation
// identifiers get on ingestion, so "Ada@Example.com " and "ada@example.com"
// are one address, as are "+44 20 7946 0000" and "+442079460000".

/** The address as stored and looked up, or undefined when it is not one for the channel. */
export function normaliseAddress(channel: Channel, address: string): string | undefined {
  if (channel === "email") return normaliseEmail(address);
  const trimmed = address.trim();
  if (trimmed === "") return undefined;
  // A phone number (SMS, calls) by its digits; anything else (a device token, a handle) as given.
  if (/^[\d\s+().-]+$/.test(trimmed)) return normalisePhone(trimmed);
  return trimmed;
}

/** Why an address is refused, for the form. */
export function addressProblem(channel: Channel): string {
  return channel === "email"
    ? "That is not an email address."
    : "That is not an address: a phone number needs at least 6 digits.";
}
