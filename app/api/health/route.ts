// Liveness for load balancers and the launcher's tests: answers without touching the database.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}
