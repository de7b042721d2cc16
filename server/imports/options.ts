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
