import NextAuth from "next-auth";
import { authOptions } from "~/server/auth/options";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Built per request so that the options (and their secret) are read at run time, not at build time.
function handler(req: Request, context: RouteContext) {
  return NextAuth(authOptions())(req, context) as Promise<Response>;
}

export { handler as GET, handler as POST };
