// The choices an import offers, in a module without server dependencies so
// that the mapping page can show the same lists.

export const delimiters = [",", ";", "\t", "|", "whitespace"] as const;
export type Delimiter = (typeof delimiters)[number];

export const delimiterLabels: Record<Delimiter, string> = {
  ",": "Comma (,)",
  ";": "Semicolon (;)",
  "\t": "Tab",
  "|": "Pipe (|)",
  whitespace: "Spaces or tabs (aligned columns)",
};

/**
 * The text encodings a file may be in: UTF-8, what Excel on Windows writes as
 * "CSV" in Western Europe and the Americas (Windows-1252), and what it writes as
 * "Unicode text" (UTF-16 little-endian).
 */
export const encodings = ["utf-8", "windows-1252", "utf-16le"] as const;
export type Encoding = (typeof encodings)[number];

export const encodingLabels: Record<Encoding, string> = {
  "utf-8": "UTF-8",
  "windows-1252": "Windows-1252 (Western)",
  "utf-16le": "UTF-16 (“Unicode text”)",
};
