import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, parseTrustedProxies, stampClientAddress } from "./client-address";

describe("clientAddress", () => {
  it("is the socket's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("198.51.100.7", "203.0.113.1", [])).toBe("198.51.100.7");
    expect(clientAddress("::ffff:198.51.100.7", ["203.0.113.1, 10.0.0.1"], [])).toBe("198.51.100.7");
  });

  it("takes the hop a trusted proxy vouches for, not the one the client wrote first", () => {
    // The client wrote 1.1.1.1; the proxy (10.0.0.2) appended the address it saw, 203.0.113.5.
    expect(clientAddress("10.0.0.2", "1.1.1.1, 203.0.113.5", ["10.0.0.2"])).toBe("203.0.113.5");
  });

  it("walks through a chain of trusted proxies", () => {
    expect(clientAddress("10.0.0.2", "1.1.1.1, 203.0.113.5, 10.0.0.3", ["10.0.0.2", "10.0.0.3"])).toBe("203.0.113.5");
  });

  it("keeps the proxy's own address when it forwarded nothing usable", () => {
    expect(clientAddress("10.0.0.2", undefined, ["10.0.0.2"])).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "not an address", ["10.0.0.2"])).toBe("10.0.0.2");
  });

  it("parses the trusted proxies setting and refuses what is not an address", () => {
    expect(parseTrustedProxies(" 10.0.0.2, ::1 ,")).toEqual(["10.0.0.2", "::1"]);
    expect(() => parseTrustedProxies("10.0.0.2, proxy.local")).toThrow(/proxy\.local/);
  });
});

describe("stampClientAddress", () => {
  /** What the app behind the stamp reads as the client's address, for a request with these headers. */
  async function addressSeenBehind(headers: Record<string, string>, trustedProxies: string[]) {
    const server = http.createServer((req, res) => {
      stampClientAddress(req, trustedProxies);
      res.end(String(req.headers[CLIENT_ADDRESS_HEADER]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      return await (await fetch(`http://127.0.0.1:${port}/`, { headers })).text();
    } finally {
      server.close();
    }
  }

  it("replaces a client-sent address header and ignores an untrusted X-Forwarded-For", async () => {
    expect(await addressSeenBehind({ [CLIENT_ADDRESS_HEADER]: "203.0.113.66", "x-forwarded-for": "203.0.113.1" }, [])).toBe(
      "127.0.0.1",
    );
  });

  it("believes X-Forwarded-For from a trusted proxy", async () => {
    expect(await addressSeenBehind({ "x-forwarded-for": "203.0.113.1" }, ["127.0.0.1"])).toBe("203.0.113.1");
  });
});
