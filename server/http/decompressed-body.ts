import { promisify } from "node:util";
import zlib from "node:zlib";
import { readLimitedBody } from "./limited-body";

// Request bodies as senders compress them: RudderStack's Node SDK gzips every
// batch by default, and a proxy or a mobile SDK may deflate. The size limit
// holds for the body as sent and again after decompression, so a small
// compressed body cannot expand past what an uncompressed one may be.

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);

export type BodyRead =
  | { ok: true; body: Buffer }
  | { ok: false; problem: "too_large" | "undecodable" | "unsupported_encoding"; error: string };

export async function readDecompressedBody(request: Request, limit: number): Promise<BodyRead> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  const decode = Object.hasOwn(decoders, encoding) ? decoders[encoding] : undefined;
  if (!decode) {
    return {
      ok: false,
      problem: "unsupported_encoding",
      error: `Content-Encoding ${encoding} is not supported: send the body uncompressed, gzip or deflate.`,
    };
  }
  const tooLarge = {
    ok: false,
    problem: "too_large",
    error: `The request body is larger than ${limit / 1024} KB`,
  } as const;
  const sent = await readLimitedBody(request, limit);
  if (sent === undefined) return tooLarge;
  try {
    return { ok: true, body: await decode(sent, { maxOutputLength: limit }) };
  } catch (error) {
    if (isOverLimit(error)) {
      return { ...tooLarge, error: `${tooLarge.error} once decompressed` };
    }
    return { ok: false, problem: "undecodable", error: `The body is not valid ${encoding} data.` };
  }
}

type Decoder = (body: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

const decoders: Record<string, Decoder> = {
  identity: async (body) => body,
  gzip: gunzip,
  "x-gzip": gunzip,
  // HTTP's deflate is zlib-wrapped; some clients send the bare stream, which is taken too.
  deflate: (body, options) =>
    inflate(body, options).catch((error: unknown) => {
      if (isOverLimit(error)) throw error;
      return inflateRaw(body, options);
    }),
};

function isOverLimit(error: unknown) {
  return (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
}
