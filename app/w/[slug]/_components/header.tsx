"use client";

import { signOut } from "next-auth/react";
import Link from "next/link";
import { RoleBadge } from "~/app/_components/ui";
import { Menu } from "./menu";
import { NavigationToggle } from "./navigation";

interface WorkspaceItem {
  slug: string;
  name: string;
  role: string;
}

export function Header({
  current,
  workspaces,
  canCreate,
  user,
}: {
  current: WorkspaceItem;
  workspaces: WorkspaceItem[];
  canCreate: boolean;
  user: { name: string; email: string };
}) {
  return (
    <header className="no-print flex h-14 items-center justify-between gap-2 border-b border-slate-200 bg-white px-4">
      <div className="flex min-w-0 items-center gap-2 sm:gap-3">
        <NavigationToggle />
        {/* Below 640 px the mark stands for the name, leaving the room to the menu and the workspace. */}
        <Link
          href="/"
          aria-label="Centric"
          className="text-brand-700 shrink-0 text-lg font-bold tracking-tight"
        >
          <svg aria-hidden="true" viewBox="0 0 32 32" className="h-6 w-6 sm:hidden">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <circle cx="16" cy="16" r="9" fill="none" stroke="#fff" strokeWidth="3" />
            <circle cx="16" cy="16" r="3.5" fill="#fff" />
          </svg>
          <span aria-hidden="true" className="hidden sm:inline">
            Centric
          </span>
        </Link>
        <span aria-hidden="true" className="hidden text-slate-300 sm:inline">
          /
        </span>
        <Menu
          label={`Workspace: ${current.name}. Switch workspace`}
          button={
            <span className="block max-w-[8rem] truncate font-medium sm:max-w-[16rem]">{current.name}</span>
          }
        >
          {(close) => (
            <div>
              <p className="px-3 pt-1 pb-2 text-xs font-medium tracking-wide text-slate-500 uppercase">
                Your workspaces
              </p>
              <ul>
                {workspaces.map((workspace) => (
                  <li key={workspace.slug}>
                    <Link
                      href={`/w/${workspace.slug}`}
                      onClick={close}
                      aria-current={workspace.slug === current.slug ? "true" : undefined}
                      className="flex items-center justify-between px-3 py-2 text-sm hover:bg-slate-50 aria-[current=true]:font-semibold"
                    >
                      <span>{workspace.name}</span>
                      <RoleBadge role={workspace.role} />
                    </Link>
                  </li>
                ))}
              </ul>
              {canCreate && (
                <Link
                  href="/workspaces/new"
                  onClick={close}
                  className="text-brand-700 mt-1 block border-t border-slate-100 px-3 py-2 text-sm hover:bg-slate-50"
                >
                  + Create workspace
                </Link>
              )}
            </div>
          )}
        </Menu>
        {/* Below 640 px there is no room for it beside the account menu; the workspace menu shows it. */}
        <span className="hidden sm:inline">
          <RoleBadge role={current.role} />
        </span>
      </div>
      <Menu
        label={`Account: ${user.name}`}
        align="right"
        button={
          <>
            {/* Below 640 px the initials stand for the name; the button's label and the menu give it in full. */}
            <span
              aria-hidden="true"
              className="bg-brand-100 text-brand-700 flex h-7 w-7 items-center justify-center rounded-full text-xs font-semibold sm:hidden"
            >
              {initials(user.name)}
            </span>
            <span className="hidden max-w-[14rem] truncate text-sm sm:block">{user.name}</span>
          </>
        }
      >
        {() => (
          <div>
            <div className="border-b border-slate-100 px-3 py-2">
              <p className="text-sm font-medium">{user.name}</p>
              <p className="text-xs text-slate-500">{user.email}</p>
            </div>
            <button
              type="button"
              onClick={() => void signOut({ callbackUrl: "/signin" })}
              className="block w-full px-3 py-2 text-left text-sm hover:bg-slate-50"
            >
              Sign out
            </button>
          </div>
        )}
      </Menu>
    </header>
  );
}

/** "Alex Admin" → "AA"; a one-word name gives its first letter. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((word) => Array.from(word)[0]!.toUpperCase()).join("") || "?";
}
