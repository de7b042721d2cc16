/** A send that can never succeed as it is (refused address, 4xx from a webhook): dead-lettered at once, not retried. */
export class PermanentSendError extends Error {
  name = "PermanentSendError";
}
