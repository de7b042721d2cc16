import { createParser } from "nuqs";

// Parsers shared by the pages that keep their filters in the URL (nuqs), so a
// reload, a shared link and the back button show the same list.

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A record's id (a segment's, say); anything else in its place reads as absent rather than failing the query. */
export const parseAsUuid = createParser({
  parse: (value: string) => (uuidPattern.test(value) ? value : null),
  serialize: (value: string) => value,
});
