import { useEffect, useRef } from "react";

/**
 * Focus for an element that an edit is about to move or make: call the
 * returned function with its id, and it is focused once the edit has rendered.
 */
export function useFocusAfterRender() {
  const pending = useRef<string | null>(null);
  useEffect(() => {
    if (!pending.current) return;
    document.getElementById(pending.current)?.focus();
    pending.current = null;
  });
  return (id: string) => {
    pending.current = id;
  };
}
