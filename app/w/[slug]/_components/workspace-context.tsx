"use client";

import { createContext, useContext } from "react";
import type { Role } from "~/db/enums";
import { can, type Permission } from "~/server/permissions";

export interface CurrentWorkspace {
  id: string;
  slug: string;
  name: string;
  role: Role;
  userId: string;
}

const WorkspaceContext = createContext<CurrentWorkspace | null>(null);

export function WorkspaceProvider({
  value,
  children,
}: {
  value: CurrentWorkspace;
  children: React.ReactNode;
}) {
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace() {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace() outside a workspace page");
  return workspace;
}

/** Whether the current user's role grants a permission (same table as the server). */
export function useCan(permission: Permission) {
  return can(useWorkspace().role, permission);
}
