import { useMemo } from 'react';
import { diffCounts, lineDiff } from './lineDiff.ts';

const MARK = { same: ' ', add: '+', del: '−' } as const;
const SPOKEN = { same: '', add: 'added: ', del: 'removed: ' } as const;

/** Line changes between two texts, marked by sign and words as well as colour. */
export function DiffView(props: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const lines = useMemo(() => lineDiff(props.before, props.after), [props.before, props.after]);
  const counts = diffCounts(lines);
  return (
    <figure className="diff">
      <figcaption>
        Changes from {props.beforeLabel} to {props.afterLabel}: {counts.added} line{counts.added === 1 ? '' : 's'} added, {counts.removed} removed
      </figcaption>
      <ol className="diff-lines" tabIndex={0} aria-label="Line changes">
        {lines.map((line, index) => (
          <li key={index} className={`diff-${line.op}`}>
            <span className="diff-mark" aria-hidden="true">
              {MARK[line.op]}
            </span>
            <span className="visually-hidden">{SPOKEN[line.op]}</span>
            <span className="diff-text">{line.text === '' ? '\u00a0' : line.text}</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
