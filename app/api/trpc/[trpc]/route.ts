import { answerTrpcRequest } from "~/server/api/trpc-endpoint";

// `next dev` serves tRPC here so that edits to procedures reload; production
// reaches the same endpoint from the launcher (server/api/trpc-node.ts).

export const dynamic = "force-dynamic";

function handler(request: Request) {
  return answerTrpcRequest(request);
}

export { handler as GET, handler as POST };
