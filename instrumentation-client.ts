import { z } from "zod";

// Zod compiles fast parsers with new Function() where a page allows eval, and
// finds out by trying when its first object schema is built. The pages'
// Content-Security-Policy forbids eval (server/http/security-headers.ts), so
// that try is refused and reported as a violation; zod parses as correctly
// without compiling. This file runs before the page's own modules build any
// schema.
z.config({ jitless: true });
