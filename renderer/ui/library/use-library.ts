/**
 * The library's data for React: the page of items for a query (re-read when the host says the
 * library changed, stale answers dropped), the tags, and the jobs with their progress. Each
 * hook takes `reopens` (`useHostReopens`): a host that comes back after a lost connection may
 * have changed the library meanwhile (a recovered recording) without the page hearing of it,
 * so each count re-reads everything.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ServiceClient } from '../../../common/host/contract-kit.ts';
import type {
  LibraryFilters,
  LibraryItemKind,
  LibraryJob,
  LibraryPage,
  libraryService,
  LibrarySortKey,
} from '../../../common/host/library-contract.ts';
import { dateInputToMs } from './library-format.ts';

export type LibraryApi = ServiceClient<typeof libraryService>;

/** What the library panel shows: search text, filters, sort and page. */
export interface LibraryQuery {
  text: string;
  kind: LibraryItemKind | '';
  tag: string;
  /** `yyyy-mm-dd` from date inputs. */
  from: string;
  to: string;
  trashed: boolean;
  sort: LibrarySortKey;
  direction: 'asc' | 'desc';
  offset: number;
}

export const PAGE_SIZE = 60;

export const INITIAL_QUERY: LibraryQuery = {
  text: '',
  kind: '',
  tag: '',
  from: '',
  to: '',
  trashed: false,
  sort: 'created',
  direction: 'desc',
  offset: 0,
};

function filtersOf(query: LibraryQuery): LibraryFilters {
  const fromMs = dateInputToMs(query.from);
  const toMs = dateInputToMs(query.to, true);
  return {
    ...(query.kind ? { kinds: [query.kind] } : {}),
    ...(query.tag ? { tags: [query.tag] } : {}),
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(toMs !== undefined ? { toMs } : {}),
    trashed: query.trashed,
  };
}

/** The page for `query`: search when there is text (ranked), a sorted listing otherwise. */
export function useLibraryPage(api: LibraryApi, query: LibraryQuery, reopens = 0) {
  const [page, setPage] = useState<LibraryPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);
  const queryRef = useRef(query);
  queryRef.current = query;

  const load = useCallback(async () => {
    const id = ++request.current;
    const current = queryRef.current;
    const paging = { offset: current.offset, limit: PAGE_SIZE };
    try {
      const next = current.text.trim()
        ? await api.search({ ...filtersOf(current), ...paging, text: current.text })
        : await api.list({ ...filtersOf(current), ...paging, sort: current.sort, direction: current.direction });
      if (id !== request.current) return;
      setPage(next);
      setError(null);
    } catch (failure) {
      if (id === request.current) setError(failure instanceof Error ? failure.message : String(failure));
    }
  }, [api]);

  // Typing waits a moment before it searches, so each keystroke does not ask the host.
  useEffect(() => {
    const timer = setTimeout(() => void load(), query.text ? 120 : 0);
    return () => clearTimeout(timer);
  }, [load, query, reopens]);

  useEffect(() => {
    const subscription = api.onDidChangeItems(() => void load());
    return () => subscription.dispose();
  }, [api, load]);

  return { page, error, reload: load };
}

/** Every tag with its count, kept fresh. */
export function useLibraryTags(api: LibraryApi, reopens = 0) {
  const [tags, setTags] = useState<{ tag: string; count: number }[]>([]);
  useEffect(() => {
    const load = () => void api.listTags().then(setTags, () => undefined);
    load();
    const subscription = api.onDidChangeItems(load);
    return () => subscription.dispose();
  }, [api, reopens]);
  return tags;
}

/** How long a job that ended well stays in the list, ms. */
const FINISHED_JOB_MS = 8000;

/** Jobs by id: those running now and those that ended while the panel was open (those that ended well leave after a while). */
export function useLibraryJobs(api: LibraryApi, reopens = 0) {
  const [jobs, setJobs] = useState<Map<string, LibraryJob>>(new Map());
  useEffect(() => {
    const subscription = api.onDidUpdateJob((job) => setJobs((previous) => new Map(previous).set(job.id, job)));
    void api.listJobs().then(
      (listed) =>
        setJobs(
          (previous) =>
            new Map([
              ...listed.filter((job) => job.state === 'running').map((job) => [job.id, job] as const),
              // A job shown as running that the host no longer lists died with a host that went away.
              ...[...previous].filter(([id, job]) => job.state !== 'running' || listed.some((known) => known.id === id)),
            ]),
        ),
      () => undefined,
    );
    return () => subscription.dispose();
  }, [api, reopens]);
  const dismiss = useCallback(
    (id: string) =>
      setJobs((previous) => {
        const next = new Map(previous);
        next.delete(id);
        return next;
      }),
    [],
  );
  // A job that ended well leaves by itself after a while (each recording and screenshot is an
  // import job); one that failed, was cancelled, or skipped or failed files stays until dismissed.
  useEffect(() => {
    const timers = [...jobs.values()]
      .filter((job) => job.state === 'done' && job.failed === 0 && job.skipped === 0)
      .map((job) => setTimeout(() => dismiss(job.id), FINISHED_JOB_MS));
    return () => timers.forEach(clearTimeout);
  }, [jobs, dismiss]);
  return { jobs: [...jobs.values()], dismiss };
}
