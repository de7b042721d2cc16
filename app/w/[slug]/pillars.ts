// What each part of the product is for, shown on the dashboard and in the
// headers of the modules' pages. One list so both say the same.

export interface Pillar {
  path: "maturity" | "journeys" | "segments" | "customers" | "value";
  title: string;
  summary: string;
}

export const pillars: Pillar[] = [
  {
    path: "maturity",
    title: "Maturity",
    summary:
      "Where this business unit stands on the customer-centricity journey, where it aims, and what moves it.",
  },
  {
    path: "journeys",
    title: "Journeys",
    summary:
      "A journey per segment: stages, touchpoints by channel, message and timing, and how real customers moved.",
  },
  {
    path: "segments",
    title: "Segments",
    summary: "Groups of customers defined by behaviour, traits and value — there is no average customer.",
  },
  {
    path: "customers",
    title: "Customers",
    summary: "Every customer's whole cross-channel history and value in one place.",
  },
  {
    path: "value",
    title: "Customer value",
    summary:
      "Customers as assets: who is likely to stay and buy, what each is worth, and where the value sits.",
  },
];

export function pillar(path: Pillar["path"]) {
  return pillars.find((p) => p.path === path)!;
}
