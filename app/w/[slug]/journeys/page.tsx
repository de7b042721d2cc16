import type { Metadata } from "next";
import { UpcomingModule } from "../_components/upcoming-module";
import { pillar } from "../pillars";

export const metadata: Metadata = { title: "Journeys" };

export default function JourneysPage() {
  return <UpcomingModule pillar={pillar("journeys")} />;
}
