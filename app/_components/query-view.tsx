import type { ReactNode } from "react";
import { errorMessage } from "~/app/_trpc/errors";
import { Alert, Button, EmptyState, LoadError, LoadingRows } from "./ui";

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

interface InfiniteLike {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: unknown;
  fetchNextPage: () => unknown;
}

/**
 * The foot of a paged list: how much is shown (announced politely), a "Load
 * more" button while there are pages left, and the error of a failed page
 * without losing the rows already shown.
 */
export function LoadMore({ query, shown, what }: { query: InfiniteLike; shown: ReactNode; what: string }) {
  return (
    <>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-500">
        <p aria-live="polite">{shown}</p>
        {query.hasNextPage && (
          <Button
            variant="secondary"
            disabled={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        )}
      </div>
      {query.isFetchNextPageError && (
        <div className="mt-3">
          <Alert>
            Could not load more {what}: {errorMessage(query.error)}
          </Alert>
        </div>
      )}
    </>
  );
}
