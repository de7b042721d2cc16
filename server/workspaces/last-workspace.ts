// The workspace a browser was in last, remembered in a cookie so that "/"
// opens it again (./landing.ts). Pure: proxy.ts sets it on every page of a
// workspace.

export const LAST_WORKSPACE_COOKIE = "centric-workspace";

/** The slug of the workspace a page path is in (/w/<slug>/…), or undefined. */
export function workspaceSlugOfPath(pathname: string): string | undefined {
  const match = /^\/w\/([^/]{1,60})(?:\/|$)/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
