import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingRows } from "~/app/_components/ui";
import { Portfolio } from "../_components/portfolio";

export const metadata: Metadata = { title: "Customer portfolio" };

export default function CustomerPortfolioPage() {
  return (
    <Suspense fallback={<LoadingRows rows={6} label="Loading the portfolio" />}>
      <Portfolio />
    </Suspense>
  );
}
