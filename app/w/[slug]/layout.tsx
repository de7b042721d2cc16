import { Header } from "./_components/header";
import { NavigationPanel, NavigationProvider } from "./_components/navigation";
import { Sidebar } from "./_components/sidebar";
import { WorkspaceProvider } from "./_components/workspace-context";
import { loadWorkspace } from "./workspace";

export const dynamic = "force-dynamic";

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { user, workspace, api } = await loadWorkspace(slug);
  const { workspaces, canCreate } = await api.workspace.list();
  return (
    <WorkspaceProvider
      value={{
        id: workspace.id,
        slug: workspace.slug,
        name: workspace.name,
        role: workspace.role,
        userId: user.id,
      }}
    >
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <NavigationProvider>
        <div className="flex min-h-screen flex-col">
          <Header current={workspace} workspaces={workspaces} canCreate={canCreate} user={user} />
          <div className="flex flex-1 flex-col md:flex-row">
            <NavigationPanel>
              <Sidebar slug={workspace.slug} />
            </NavigationPanel>
            <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8">
              {children}
            </main>
          </div>
        </div>
      </NavigationProvider>
    </WorkspaceProvider>
  );
}
