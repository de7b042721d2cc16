import { useQueryStates } from "nuqs";
import { useCallback } from "react";
import { clearedFilters, customerFilterParams, customerListFilters } from "./customer-filters";
import { useDebouncedText } from "./use-debounced-text";

/**
 * The customer list's filters as the URL holds them, with the text fields'
 * drafts that reach the URL after a pause in typing. `fixedSegmentId` (a
 * segment's page) replaces the URL's segment.
 */
export function useCustomerFilters(fixedSegmentId?: string) {
  // Each change is a step of the browser's history, so the back button undoes it.
  const [params, setParams] = useQueryStates(customerFilterParams, { history: "push" });
  const urlFilters = customerListFilters(params);
  const filters = fixedSegmentId ? { ...urlFilters, segmentId: fixedSegmentId } : urlFilters;

  const commitSearch = useCallback((value: string) => setParams({ q: value.trim() || null }), [setParams]);
  const commitMin = useCallback((value: string) => setParams({ min: value.trim() || null }), [setParams]);
  const commitMinClv = useCallback(
    (value: string) => setParams({ minClv: value.trim() || null }),
    [setParams],
  );
  const [searchText, setSearchText, flushSearch, cancelSearch] = useDebouncedText(params.q, commitSearch);
  const [minText, setMinText] = useDebouncedText(params.min, commitMin, 500);
  const [minClvText, setMinClvText] = useDebouncedText(params.minClv, commitMinClv, 500);

  const filtered = Boolean(
    filters.search ||
    filters.channel ||
    filters.lastSeenWithinDays ||
    filters.lastSeenBefore ||
    filters.minSpend !== undefined ||
    filters.rfmGroup ||
    filters.minClv !== undefined ||
    (!fixedSegmentId && filters.segmentId),
  );
  const clearFilters = () =>
    setParams(fixedSegmentId ? clearedFilters : { ...clearedFilters, segment: null });

  return {
    params,
    setParams,
    filters,
    filtered,
    clearFilters,
    search: { text: searchText, setText: setSearchText, flush: flushSearch, cancel: cancelSearch },
    minSpend: { text: minText, setText: setMinText },
    minClv: { text: minClvText, setText: setMinClvText },
  };
}

export type CustomerFilterState = ReturnType<typeof useCustomerFilters>;
