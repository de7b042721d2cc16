import type { Metadata } from "next";
import { UpcomingModule } from "../_components/upcoming-module";
import { pillar } from "../pillars";

export const metadata: Metadata = { title: "Maturity" };

export default function MaturityPage() {
  return <UpcomingModule pillar={pillar("maturity")} />;
}
