import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/root";

type Outputs = inferRouterOutputs<AppRouter>["maturity"];

export type Assessment = Outputs["assessment"]["get"];
export type AssessmentDimension = Assessment["dimensions"][number];
export type ModelDefinition = Assessment["model"]["definition"];
export type ModelDimension = ModelDefinition["dimensions"][number];
export type ModelLevel = ModelDefinition["levels"][number];
export type Attachment = AssessmentDimension["attachments"][number];
export type Indicators = Outputs["indicators"];
export type DimensionEvidence = Indicators["dimensions"][number];
