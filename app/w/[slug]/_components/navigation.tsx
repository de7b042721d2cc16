"use client";

import { usePathname } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState, type RefObject } from "react";
import { cx } from "~/app/_components/ui";

/**
 * The workspace's main navigation collapses below the md breakpoint (768 px):
 * the sections no longer fit beside the page, so the header shows a "Menu"
 * button that opens them as a panel above the page. From md up the panel is
 * the sidebar and always shown; the button is not rendered there.
 */

const PANEL_ID = "main-navigation";

interface NavigationState {
  open: boolean;
  setOpen: (open: boolean) => void;
  toggle: RefObject<HTMLButtonElement | null>;
}

const NavigationContext = createContext<NavigationState | null>(null);

function useNavigation() {
  const state = useContext(NavigationContext);
  if (!state) throw new Error("The navigation's button and panel belong inside <NavigationProvider>");
  return state;
}

export function NavigationProvider({ children }: { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  // A new page closes the panel: it would otherwise cover the page just chosen.
  const pathname = usePathname();
  const [openedOn, setOpenedOn] = useState(pathname);
  if (openedOn !== pathname) {
    setOpenedOn(pathname);
    setOpen(false);
  }
  return (
    <NavigationContext.Provider value={{ open, setOpen, toggle }}>{children}</NavigationContext.Provider>
  );
}

/** The header's button that opens and closes the navigation on narrow screens. */
export function NavigationToggle() {
  const { open, setOpen, toggle } = useNavigation();
  return (
    <button
      ref={toggle}
      type="button"
      aria-expanded={open}
      aria-controls={PANEL_ID}
      onClick={() => setOpen(!open)}
      className="-ml-2 flex shrink-0 items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 md:hidden"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-5 w-5"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
      >
        <path d={open ? "M6 6l12 12M18 6L6 18" : "M4 7h16M4 12h16M4 17h16"} />
      </svg>
      Menu
    </button>
  );
}

/** The sidebar from md up; below it, the panel the toggle opens. */
export function NavigationPanel({ children }: { children: React.ReactNode }) {
  const { open, setOpen, toggle } = useNavigation();

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        toggle.current?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, setOpen, toggle]);

  return (
    <aside
      id={PANEL_ID}
      // A link to the page already shown changes no path, so the provider would not close the panel.
      onClick={(event) => {
        if ((event.target as HTMLElement).closest("a")) setOpen(false);
      }}
      className={cx(
        "no-print border-b border-slate-200 bg-white p-3 shadow-sm md:block md:w-56 md:shrink-0 md:border-r md:border-b-0 md:shadow-none",
        open ? "block" : "hidden",
      )}
    >
      {children}
    </aside>
  );
}
