// What an evidence file may be, kept apart from the database code so that the
// assessment page checks a file before sending it with the same rules the
// server applies.

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** What evidence may be: documents, images and tables, by extension and the content type it must have. */
export const attachmentTypes: Record<string, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  txt: "text/plain",
  csv: "text/csv",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** The content type stored for a file name, or an issue for a file that is not accepted. */
export function attachmentType(fileName: string): { contentType: string } | { issue: string } {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const contentType = extension ? attachmentTypes[extension] : undefined;
  if (!contentType)
    return {
      issue: `“${fileName}” is not a file type evidence can be: use ${Object.keys(attachmentTypes).join(", ")}`,
    };
  return { contentType };
}
