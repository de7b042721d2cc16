import { TRPCError } from "@trpc/server";
import { beforeEach, expect, it } from "vitest";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { builtInModel } from "./model";

describeEachDatabase("maturity model versions", (getDb) => {
  let a: Awaited<ReturnType<typeof makeWorkspace>>;

  beforeEach(async () => {
    await truncateAllTables(getDb());
    a = await makeWorkspace(getDb(), "Brand A");
  });

  it("lists a custom model's versions newest first, with who saved each, to every member only", async () => {
    const db = getDb();
    const workspaceId = a.workspace.id;
    const admin = callerAs(db, a.admin).maturity.model;
    const { modelId } = await admin.copy({ workspaceId, name: "Retail model" });
    await admin.saveVersion({
      workspaceId,
      modelId: modelId!,
      definition: {
        ...builtInModel,
        name: "Retail model EU",
        dimensions: builtInModel.dimensions.slice(0, 5),
      },
    });

    const versions = await callerAs(db, a.viewer).maturity.model.versions({ workspaceId, modelId: modelId! });
    expect(versions.map(({ createdAt: _, ...v }) => v)).toEqual([
      { version: 2, name: "Retail model EU", levels: 5, dimensions: 5, createdBy: a.admin.name },
      { version: 1, name: "Retail model", levels: 5, dimensions: 7, createdBy: a.admin.name },
    ]);
    expect(versions[0]!.createdAt).toBeInstanceOf(Date);

    const b = await makeWorkspace(db, "Brand B");
    await expect(
      callerAs(db, b.admin).maturity.model.versions({ workspaceId: b.workspace.id, modelId: modelId! }),
    ).rejects.toSatisfy((e) => e instanceof TRPCError && e.code === "NOT_FOUND");
  });
});
