import type { Metadata } from "next";
import { UpcomingModule } from "../_components/upcoming-module";
import { pillar } from "../pillars";

export const metadata: Metadata = { title: "Segments" };

export default function SegmentsPage() {
  return <UpcomingModule pillar={pillar("segments")} />;
}
