/** Who did something, as the history and the comments name them; null for a deleted account. */
export function personLabel(person: { name: string | null; email: string } | null | undefined): string {
  if (!person) return "a former member";
  return person.name?.trim() || person.email;
}
