import net from "node:net";
import type { IncomingMessage } from "node:http";

// The address a request came from, for the sign-in throttle and the logs.
// It is the socket's peer address; a client-sent X-Forwarded-For counts only
// when that peer is a proxy the operator trusts (TRUSTED_PROXIES), and then
// only up to the first address that proxy did not add itself. The launcher
// (scripts/start.ts) writes the result into CLIENT_ADDRESS_HEADER on every
// request, replacing whatever a client sent under that name, so code behind it
// reads one header it can believe.

export const CLIENT_ADDRESS_HEADER = "x-centric-client-address";

/** `::ffff:192.0.2.1` and `192.0.2.1` are the same IPv4 client. */
export function canonicalAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return (mapped ? mapped[1]! : trimmed).toLowerCase();
}

export function parseTrustedProxies(list: string): string[] {
  const entries = list
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const invalid = entries.filter((entry) => net.isIP(entry) === 0);
  if (invalid.length > 0) throw new Error(`not IP addresses: ${invalid.join(", ")}`);
  return entries.map(canonicalAddress);
}

export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: readonly string[],
): string | undefined {
  if (!socketAddress) return undefined;
  let address = canonicalAddress(socketAddress);
  const trusted = new Set(trustedProxies);
  if (!trusted.has(address)) return address;
  // Walk the chain from the nearest hop back: each trusted proxy vouches for the hop before it.
  const hops = [forwardedFor ?? []]
    .flat()
    .flatMap((header) => header.split(","))
    .map(canonicalAddress)
    .filter((hop) => net.isIP(hop) !== 0);
  while (trusted.has(address) && hops.length > 0) address = hops.pop()!;
  return address;
}

/** Replaces CLIENT_ADDRESS_HEADER on an incoming request with the address the server can vouch for. */
export function stampClientAddress(request: IncomingMessage, trustedProxies: readonly string[]) {
  const address = clientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trustedProxies);
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete request.headers[CLIENT_ADDRESS_HEADER];
}
