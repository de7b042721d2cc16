import { useEffect, useState } from "react";

/**
 * A text field whose value lands in the URL after a pause in typing. Changes
 * of the URL made elsewhere (back button, "Clear filters") flow back into it.
 */
export function useDebouncedText(urlValue: string, commit: (value: string) => void, delay = 300) {
  const [text, setText] = useState(urlValue);
  const [pushed, setPushed] = useState(urlValue);
  const [lastUrlValue, setLastUrlValue] = useState(urlValue);
  if (urlValue !== lastUrlValue) {
    setLastUrlValue(urlValue);
    if (urlValue !== pushed) {
      setText(urlValue);
      setPushed(urlValue);
    }
  }
  useEffect(() => {
    if (text === pushed) return;
    const timer = setTimeout(() => {
      setPushed(text);
      commit(text);
    }, delay);
    return () => clearTimeout(timer);
  }, [text, pushed, commit, delay]);
  const flush = () => {
    setPushed(text);
    commit(text);
  };
  /** Drops a pending commit: leaving the page must not be undone by a late URL update. */
  const cancel = () => setPushed(text);
  return [text, setText, flush, cancel] as const;
}
