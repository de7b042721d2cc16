"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "~/app/_components/ui";

const sections = [
  { href: "", label: "Dashboard", icon: "M3 12l9-9 9 9M5 10v10h5v-6h4v6h5V10" },
  { href: "/maturity", label: "Maturity", icon: "M4 20V10m6 10V4m6 16v-7m4 7H2" },
  { href: "/journeys", label: "Journeys", icon: "M4 6h4l3 6 3-6h6M4 18h16" },
  { href: "/segments", label: "Segments", icon: "M12 3a9 9 0 109 9h-9V3zM15 3.5A9 9 0 0120.5 9H15V3.5z" },
  {
    href: "/customers",
    label: "Customers",
    icon: "M16 19v-1a4 4 0 00-8 0v1M12 11a3 3 0 100-6 3 3 0 000 6zM20 19v-1a3 3 0 00-3-3M4 19v-1a3 3 0 013-3",
  },
  { href: "/value", label: "Customer value", icon: "M3 17l6-6 4 4 8-8M15 7h6v6M3 21h18" },
  {
    href: "/settings",
    label: "Settings",
    icon: "M12 15a3 3 0 100-6 3 3 0 000 6zM4 12h2m12 0h2M12 4v2m0 12v2M6.3 6.3l1.4 1.4m8.6 8.6l1.4 1.4m0-11.4l-1.4 1.4m-8.6 8.6l-1.4 1.4",
  },
];

export function Sidebar({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/w/${slug}`;
  return (
    <nav aria-label="Main" className="grid grid-cols-2 gap-1 md:flex md:flex-col">
      {sections.map((section) => {
        const href = `${base}${section.href}`;
        const active = section.href === "" ? pathname === base : pathname.startsWith(href);
        return (
          <Link
            key={section.label}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100",
            )}
          >
            <svg
              aria-hidden="true"
              viewBox="0 0 24 24"
              className="h-5 w-5"
              fill="none"
              stroke="currentColor"
              strokeWidth={1.8}
              strokeLinecap="round"
              strokeLinejoin="round"
            >
              <path d={section.icon} />
            </svg>
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
