import type { Metadata } from "next";
import "./globals.css";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { TRPCReactProvider } from "~/app/_trpc/react";

export const metadata: Metadata = {
  title: { default: "Centric", template: "%s · Centric" },
  description:
    "Map your customer-centricity maturity, design journeys per segment, and see every customer's whole story.",
};

// Every page is rendered per request, so that each gets the nonce of its
// Content-Security-Policy (proxy.ts); a page built ahead would carry none.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {/* Lets client components keep state in the URL (nuqs): the customer list's filters, say. */}
        <NuqsAdapter>
          <TRPCReactProvider>{children}</TRPCReactProvider>
        </NuqsAdapter>
      </body>
    </html>
  );
}
