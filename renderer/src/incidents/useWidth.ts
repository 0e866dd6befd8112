import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * The element's width in CSS pixels, kept current: the chart draws at its real size, so its
 * text stays the page's text size instead of shrinking with a scaled viewBox.
 */
export function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  // Measured before the first paint, so the chart never shows (or scrolls) at the fallback width.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.max(200, Math.floor(el.getBoundingClientRect().width)));
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(200, Math.floor(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
