import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { issuesByPath, issuesFromFieldErrors, issueUnder, normalisePath } from "./form-issues";

function refused(data: unknown) {
  const error = new TRPCClientError("refused");
  Object.assign(error, { data });
  return error;
}

describe("normalisePath", () => {
  it("brings zod's dotted indexes to brackets and drops the wrapper", () => {
    expect(normalisePath("data.links.0.targetId", "data.")).toBe("links[0].targetId");
    expect(normalisePath("dimensions.2.levels.10.descriptor")).toBe("dimensions[2].levels[10].descriptor");
    expect(normalisePath("links[0].targetId")).toBe("links[0].targetId");
    expect(normalisePath("title", "data.")).toBe("title");
  });
});

describe("issuesByPath", () => {
  it("merges zod's and the domain's issues, first message per path", () => {
    const error = refused({
      zodError: { formErrors: [], fieldErrors: { "data.title": ["Give the initiative a title", "other"] } },
      inputIssues: [
        { path: "ownerId", message: "the owner must be a member of this workspace" },
        { path: "links[1].targetId", message: "no such journey in this workspace" },
      ],
    });
    const issues = issuesByPath(error, "data.");
    expect(issues).toEqual({
      title: "Give the initiative a title",
      ownerId: "the owner must be a member of this workspace",
      "links[1].targetId": "no such journey in this workspace",
    });
    expect(issueUnder(issues, "links")).toBe("no such journey in this workspace");
    expect(issueUnder(issues, "owner")).toBeUndefined();
  });

  it("has nothing for an error that is not a refused call", () => {
    expect(issuesByPath(new Error("network"))).toEqual({});
  });
});

describe("issuesFromFieldErrors", () => {
  it("flattens react-hook-form's nested errors to bracketed paths, skipping the fields' elements", () => {
    const dimensions: unknown[] = [];
    dimensions[7] = {
      name: { type: "too_small", message: "must not be empty" },
      levels: [{ descriptor: { type: "too_small", message: "must not be empty", ref: { name: "x" } } }],
    };
    const issues = issuesFromFieldErrors({
      name: { type: "too_small", message: "must not be empty" },
      dimensions: dimensions as never,
    });
    expect(issues).toEqual({
      name: "must not be empty",
      "dimensions[7].name": "must not be empty",
      "dimensions[7].levels[0].descriptor": "must not be empty",
    });
  });
});
