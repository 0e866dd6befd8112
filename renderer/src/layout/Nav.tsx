import { PAGE_TITLES, PAGES, routeHref, type Page } from '../routing/route.ts';

/**
 * The screens as plain links: Tab reaches them, Enter opens them, the current one is marked.
 * Recovery's count is shown only when known and above zero: never "(0)", never a guess.
 */
export function Nav(props: { current: Page; recoverable: number | null }) {
  return (
    <nav className="nav" aria-label="Lifeboat">
      <ul>
        {PAGES.map((page) => (
          <li key={page}>
            <a href={routeHref(page)} aria-current={props.current === page ? 'page' : undefined}>
              {PAGE_TITLES[page]}
              {page === 'recovery' && props.recoverable !== null && props.recoverable > 0 ? <span className="count"> ({props.recoverable})</span> : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
