import { z } from "zod";
import { importKinds, jobStatuses } from "~/db/enums";
import { describes, ZFreeForm, ZInstant, type Resolved } from "~/server/output-schemas";
import type {
  getImport,
  listImportErrors,
  listImports,
  pauseImport,
  previewImport,
  startImport,
} from "./imports";
import { ZImportOptions, type TImportMapping } from "./mapping";
import { messageIdForms } from "./message-ids";

// What the import procedures return.

/**
 * A mapping as the server hands it out. Not ZImportMapping: its limits are for
 * what a person sends, while a guessed mapping names whatever columns the file has.
 */
const ZColumn = z.string();
const ZFieldSource = z.union([z.object({ column: ZColumn }), z.object({ value: z.string() })]);
const ZMapping = describes<TImportMapping>()(
  z.object({
    customerId: ZColumn,
    timestamp: ZColumn.nullish(),
    event: ZFieldSource.nullish(),
    channel: ZFieldSource.nullish(),
    amount: ZColumn.nullish(),
    email: ZColumn.nullish(),
    phone: ZColumn.nullish(),
    name: ZColumn.nullish(),
    rename: z.record(z.string(), z.string()),
  }),
);

export const ZImportSummary = z.object({
  id: z.string(),
  kind: z.enum(importKinds),
  fileName: z.string(),
  fileSize: z.number(),
  createdAt: ZInstant,
  createdByName: z.string().nullable(),
  status: z.enum([...jobStatuses, "uploaded"]),
  progress: z.object({
    done: z.number(),
    total: z.number(),
    rowsRead: z.number(),
    summaries: z.string().optional(),
  }),
  rowsImported: z.number(),
  rowsDuplicate: z.number(),
  rowsFailed: z.number(),
  error: z.string().nullable(),
  startedAt: ZInstant.nullable(),
  finishedAt: ZInstant.nullable(),
});

export const ZImportSummaries = describes<Resolved<typeof listImports>>()(z.array(ZImportSummary));

export const ZImportDetail = describes<Resolved<typeof getImport>>()(
  ZImportSummary.extend({
    fileSha256: z.string(),
    options: ZImportOptions.extend({
      columns: z.array(z.string()),
      messageIds: z.enum(messageIdForms),
    }).partial(),
    mapping: ZMapping.partial(),
    sameFileAs: z.object({ id: z.string(), createdAt: ZInstant }).nullable(),
  }),
);

export const ZImportErrors = describes<Resolved<typeof listImportErrors>>()(
  z.object({
    rows: z.array(z.object({ line: z.number(), reason: z.string(), raw: z.string() })),
    total: z.number(),
    nextCursor: z.number().nullable(),
  }),
);

export const ZImportPreview = describes<Resolved<typeof previewImport>>()(
  z.object({
    columns: z.array(z.string()),
    options: ZImportOptions,
    suggested: ZMapping,
    mapping: ZMapping,
    mappingProblems: z.array(z.string()),
    rows: z.array(
      z.object({
        line: z.number(),
        fields: z.array(z.string()),
        read: z
          .object({
            customerId: z.string(),
            timestamp: ZInstant.nullable(),
            event: z.string().nullable(),
            channel: z.string().nullable(),
            amount: z.number().nullable(),
            /** Properties (events) or traits (customers), as the file gives them. */
            data: ZFreeForm,
          })
          .nullable(),
        problem: z.string().nullable(),
      }),
    ),
  }),
);

/** The import a control acted on (pause, resume, cancel, discard). */
export const ZImportRef = describes<Resolved<typeof pauseImport>>()(
  z.object({ id: z.string(), fileName: z.string() }),
);

export const ZStartedImport = describes<Resolved<typeof startImport>>()(
  ZImportRef.extend({ kind: z.enum(importKinds), jobId: z.string() }),
);
