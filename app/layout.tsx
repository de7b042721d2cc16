import type { Metadata } from "next";
import "./globals.css";
import { TRPCReactProvider } from "~/app/_trpc/react";

export const metadata: Metadata = {
  title: { default: "Centric", template: "%s · Centric" },
  description:
    "Map your customer-centricity maturity, design journeys per segment, and see every customer's whole story.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
