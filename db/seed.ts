import { count } from "drizzle-orm";
import type { Role } from "~/db/schema";
import { memberships, users } from "~/db/schema";
import { recordAudit } from "~/server/audit/audit";
import { createUser } from "~/server/users/users";
import { createWorkspace } from "~/server/workspaces/workspaces";
import type { Database } from "./index";

// The demo workspace that `npm start` creates on an empty database: two
// business units of one retailer and one person per role, so that a newcomer
// can sign in as each kind of user and switch between workspaces.

export const demoWorkspaces = [
  {
    key: "retail",
    name: "Northwind Retail",
    description: "Stores, web shop and loyalty programme of the Northwind retail brand.",
  },
  {
    key: "online",
    name: "Northwind Online",
    description: "The digital-only brand: web shop, mobile app and email.",
  },
] as const;

type DemoWorkspaceKey = (typeof demoWorkspaces)[number]["key"];

export const demoUsers: {
  email: string;
  name: string;
  password: string;
  roles: Partial<Record<DemoWorkspaceKey, Role>>;
}[] = [
  {
    email: "admin@centric.demo",
    name: "Alex Admin",
    password: "centric-admin-demo",
    roles: { retail: "admin", online: "admin" },
  },
  {
    email: "editor@centric.demo",
    name: "Maria Marketing",
    password: "centric-editor-demo",
    roles: { retail: "editor", online: "editor" },
  },
  {
    email: "viewer@centric.demo",
    name: "Eva Executive",
    password: "centric-viewer-demo",
    roles: { retail: "viewer", online: "viewer" },
  },
];

export interface DemoSignIn {
  email: string;
  password: string;
  role: string;
  workspace: string;
}

function demoSignIns(): DemoSignIn[] {
  return demoUsers.map((user) => ({
    email: user.email,
    password: user.password,
    role: [...new Set(Object.values(user.roles))].join(", "),
    workspace: demoWorkspaces
      .filter((w) => user.roles[w.key])
      .map((w) => w.name)
      .join(", "),
  }));
}

/** Creates the demo data when the database has no users yet; otherwise leaves everything as it is. */
export async function seedDemo(db: Database): Promise<{ created: boolean; signIns: DemoSignIn[] }> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return { created: false, signIns: demoSignIns() };

  await db.transaction(async (tx) => {
    const created = [];
    for (const user of demoUsers) created.push({ ...user, id: (await createUser(tx, user)).id });
    const [owner, ...others] = created;
    for (const spec of demoWorkspaces) {
      const workspace = await createWorkspace(tx, {
        userId: owner!.id,
        name: spec.name,
        description: spec.description,
        requireAdmin: false,
      });
      for (const user of others) {
        const role = user.roles[spec.key];
        if (role) await tx.insert(memberships).values({ workspaceId: workspace.id, userId: user.id, role });
      }
      await recordAudit(tx, [
        {
          workspaceId: workspace.id,
          actorUserId: null,
          action: "seed.demo",
          summary: `created the demo workspace ${spec.name} with its members`,
        },
      ]);
    }
  });
  return { created: true, signIns: demoSignIns() };
}
