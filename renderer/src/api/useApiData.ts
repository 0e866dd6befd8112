import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiResult, LifeboatEvent } from '../../../app/common/api.ts';
import { api } from './client.ts';

export interface ApiData<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads one call's result for a screen and reloads it on demand. Keeps the last good data while
 * reloading, so a refresh never blanks what the GP is reading; an answer that arrives after a
 * newer request was made is dropped.
 */
export function useApiData<T>(load: () => Promise<ApiResult<T>>, deps: readonly unknown[]): ApiData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  // The caller names what the load depends on, as with useEffect.
  const stableLoad = useCallback(load, deps);

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    void stableLoad().then((result) => {
      if (ticket !== latest.current) return;
      setLoading(false);
      if (result.ok) {
        setData(result.value);
        setError(null);
      } else setError(result.error.message);
    });
  }, [stableLoad, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}

/** Runs the handler for each live event while the screen is shown. */
export function useLifeboatEvents(handler: (event: LifeboatEvent) => void): void {
  const current = useRef(handler);
  current.current = handler;
  useEffect(() => api.onEvent((event) => current.current(event)), []);
}
