import type { Metadata } from "next";
import { UpcomingModule } from "../_components/upcoming-module";
import { pillar } from "../pillars";

export const metadata: Metadata = { title: "Customers" };

export default function CustomersPage() {
  return <UpcomingModule pillar={pillar("customers")} />;
}
