import Link from "next/link";
import { Card } from "~/app/_components/ui";

/** An invitation link whose token is malformed or unknown (a 404). */
export default function InvitationNotFound() {
  return (
    <main className="from-brand-50 flex min-h-screen items-center justify-center bg-gradient-to-b to-slate-50 p-6">
      <div className="w-full max-w-md">
        <p className="text-brand-700 mb-6 text-center text-3xl font-bold tracking-tight">Centric</p>
        <Card className="p-6">
          <h1 className="text-lg font-semibold text-slate-900">This invitation link is not valid</h1>
          <p className="mt-2 text-sm text-slate-600">
            The link may be incomplete or mistyped. Check that you copied all of it, or ask an admin of the
            workspace for a new invitation.
          </p>
        </Card>
        <p className="mt-4 text-center text-sm text-slate-600">
          <Link href="/" className="text-brand-700 underline-offset-2 hover:underline">
            Go to Centric
          </Link>
        </p>
      </div>
    </main>
  );
}
