import type { ReactNode } from "react";
import { errorMessage } from "~/app/_trpc/errors";
import { EmptyState, LoadError, LoadingRows } from "./ui";

interface QueryLike<T> {
  isPending: boolean;
  data: T | undefined;
  error: unknown;
  refetch: () => unknown;
}

/**
 * The four states every list has: loading, failed (with a retry), empty, and
 * the data. `what` names the data in messages ("the members").
 */
export function QueryView<T>({
  query,
  what,
  loadingRows = 3,
  isEmpty,
  empty,
  children,
}: {
  query: QueryLike<T>;
  what: string;
  loadingRows?: number;
  isEmpty: (data: T) => boolean;
  empty: { title: string; body?: ReactNode };
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingRows rows={loadingRows} label={`Loading ${what}`} />;
  if (query.data === undefined) {
    return <LoadError what={what} error={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }
  if (isEmpty(query.data)) return <EmptyState title={empty.title}>{empty.body}</EmptyState>;
  return children(query.data);
}
