import { contentMismatch, SNIFF_BYTES, type BinaryFormat } from "~/server/files/sniff";

// What an evidence file may be, kept apart from the database code so that the
// assessment page checks a file before sending it with the same rules the
// server applies.

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

interface AttachmentType {
  /** The content type stored, and answered when the file is downloaded. */
  contentType: string;
  /** What the file's bytes must be (server/files/sniff.ts): a name alone does not make a PNG. */
  content: BinaryFormat | "text";
}

/** What evidence may be: documents, images and tables, by extension. */
export const attachmentTypes: Record<string, AttachmentType> = {
  pdf: { contentType: "application/pdf", content: "pdf" },
  png: { contentType: "image/png", content: "png" },
  jpg: { contentType: "image/jpeg", content: "jpeg" },
  jpeg: { contentType: "image/jpeg", content: "jpeg" },
  txt: { contentType: "text/plain", content: "text" },
  csv: { contentType: "text/csv", content: "text" },
  docx: {
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    content: "zip",
  },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", content: "zip" },
};

/** The type of a file name, or an issue for a file that is not accepted. */
export function attachmentType(fileName: string): AttachmentType | { issue: string } {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const type = extension ? attachmentTypes[extension] : undefined;
  if (!type)
    return {
      issue: `“${fileName}” is not a file type evidence can be: use ${Object.keys(attachmentTypes).join(", ")}`,
    };
  return type;
}

/** Why a file's bytes are not what its name says (a PDF named .png), or null when they are. */
export function attachmentContentIssue(fileName: string, data: Uint8Array): string | null {
  const type = attachmentType(fileName);
  if ("issue" in type || data.length === 0) return null;
  const head = data.subarray(0, SNIFF_BYTES);
  return contentMismatch(fileName, type.content, head, head.length === data.length);
}
