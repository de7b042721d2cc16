"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "~/app/_components/ui";

/**
 * The tab bar of a section with sub-pages (Settings, Customer value). The tab
 * whose href is `base` is the section's index and is active only there; the
 * others are also active on their own sub-pages.
 */
export function SectionTabs({
  label,
  tabs,
  base,
}: {
  label: string;
  tabs: { href: string; label: string }[];
  base: string;
}) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="border-b border-slate-200">
      {/* The tabs wrap onto a second line on a narrow screen rather than scroll out of sight. */}
      <ul className="-mb-px flex flex-wrap gap-x-1">
        {tabs.map((tab) => {
          const active = tab.href === base ? pathname === base : pathname.startsWith(tab.href);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "block border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap sm:px-4",
                  active
                    ? "border-brand-600 text-brand-700"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
