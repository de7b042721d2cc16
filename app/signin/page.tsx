import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeLocalPath } from "~/server/auth/local-path";
import { getSessionUser } from "~/server/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; email?: string }>;
}) {
  const { callbackUrl, email } = await searchParams;
  // Only a path of this site: anything else could send the user to another host.
  const next = safeLocalPath(callbackUrl);
  if (await getSessionUser()) redirect(next);
  return (
    <main className="from-brand-50 flex min-h-screen items-center justify-center bg-gradient-to-b to-slate-50 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-brand-700 text-3xl font-bold tracking-tight">Centric</p>
          <p className="mt-1 text-sm text-slate-600">Become the organisation your customers would choose.</p>
        </div>
        <SignInForm callbackUrl={next} defaultEmail={email ?? ""} />
      </div>
    </main>
  );
}
