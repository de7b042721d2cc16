import type { Metadata } from "next";
import { Scorecard } from "./_components/scorecard";

export const metadata: Metadata = { title: "Maturity scorecard" };

export default function MaturityScorecardPage() {
  return <Scorecard />;
}
