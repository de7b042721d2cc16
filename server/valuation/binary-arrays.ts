// Array parameters in PostgreSQL's binary format (what array_recv reads), for
// writing a fit's scores: node-postgres sends a Buffer parameter in binary, so
// `${sql.param(float8Array(values))}::float8[]` reaches the server as doubles,
// with no number printed to text in Node nor parsed back in the server. At a
// million customers and a dozen columns that is most of the cost of the text
// form. Layout: ndim, has-nulls flag, element type oid, length, lower bound,
// then each element as its byte length (-1 for null) and its bytes, big-endian.

const OID = { int2: 21, int4: 23, float8: 701, uuid: 2950 } as const;
const HEADER_BYTES = 20;

function header(buffer: Buffer, oid: number, length: number, hasNulls: boolean) {
  buffer.writeInt32BE(1, 0);
  buffer.writeInt32BE(hasNulls ? 1 : 0, 4);
  buffer.writeUInt32BE(oid, 8);
  buffer.writeInt32BE(length, 12);
  buffer.writeInt32BE(1, 16);
}

/** float8[]; null elements (and NaN, which has no place in the scores) as SQL nulls. */
export function float8Array(values: ArrayLike<number | null>): Buffer {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || Number.isNaN(v)) nulls++;
  }
  const buffer = Buffer.allocUnsafe(HEADER_BYTES + values.length * 12 - nulls * 8);
  header(buffer, OID.float8, values.length, nulls > 0);
  let at = HEADER_BYTES;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || Number.isNaN(v)) {
      at = buffer.writeInt32BE(-1, at);
    } else {
      at = buffer.writeInt32BE(8, at);
      at = buffer.writeDoubleBE(v, at);
    }
  }
  return buffer;
}

/** int4[] or int2[] of whole numbers. */
export function intArray(values: ArrayLike<number>, type: "int4" | "int2" = "int4"): Buffer {
  const size = type === "int4" ? 4 : 2;
  const buffer = Buffer.allocUnsafe(HEADER_BYTES + values.length * (4 + size));
  header(buffer, OID[type], values.length, false);
  let at = HEADER_BYTES;
  for (let i = 0; i < values.length; i++) {
    at = buffer.writeInt32BE(size, at);
    at = type === "int4" ? buffer.writeInt32BE(values[i]!, at) : buffer.writeInt16BE(values[i]!, at);
  }
  return buffer;
}

/** uuid[] from canonical uuid strings (8-4-4-4-12 hex digits). */
export function uuidArray(values: readonly string[]): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER_BYTES + values.length * 20);
  header(buffer, OID.uuid, values.length, false);
  let at = HEADER_BYTES;
  for (const id of values) {
    if (id.length !== 36) throw new RangeError(`“${id}” is not a uuid.`);
    at = buffer.writeInt32BE(16, at);
    buffer.write(id.slice(0, 8), at, 4, "hex");
    buffer.write(id.slice(9, 13), at + 4, 2, "hex");
    buffer.write(id.slice(14, 18), at + 6, 2, "hex");
    buffer.write(id.slice(19, 23), at + 8, 2, "hex");
    if (buffer.write(id.slice(24, 36), at + 10, 6, "hex") !== 6)
      throw new RangeError(`“${id}” is not a uuid.`);
    at += 16;
  }
  return buffer;
}
