// Where to go after signing in: only a path of this site. Checked the way a
// browser reads the URL (the WHATWG parser): "/\evil.example" and "/\t/evil"
// look like paths but a browser takes them for another host.

const BASE = "http://centric.invalid";

/** `candidate` when it is a path on this site (normalised), else `fallback`. */
export function safeLocalPath(candidate: string | undefined, fallback = "/") {
  if (!candidate?.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(candidate, BASE);
  } catch {
    return fallback;
  }
  return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : fallback;
}
