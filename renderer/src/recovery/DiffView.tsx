import { useMemo } from 'react';
import { wordCounts, wordDiff } from './textDiff.ts';

const SPOKEN = { add: 'added: ', del: 'removed: ' } as const;
const plural = (n: number): string => `${n} word${n === 1 ? '' : 's'}`;

/**
 * What changed between two versions, word by word in the running text: added words underlined
 * on green, removed ones struck through on red, each also said in words for screen readers.
 */
export function DiffView(props: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const parts = useMemo(() => wordDiff(props.before, props.after), [props.before, props.after]);
  const counts = wordCounts(parts);
  return (
    <figure className="diff">
      <figcaption>
        Changes from {props.beforeLabel} to {props.afterLabel}: {plural(counts.added)} added, {counts.removed} removed
      </figcaption>
      <div className="diff-text" tabIndex={0} role="region" aria-label="Word changes">
        {parts.map((part, index) =>
          part.op === 'same' ? (
            <span key={index}>{part.text}</span>
          ) : part.op === 'add' ? (
            <ins key={index} className="diff-add">
              <span className="visually-hidden">[{SPOKEN.add}</span>
              {part.text}
              <span className="visually-hidden">]</span>
            </ins>
          ) : (
            <del key={index} className="diff-del">
              <span className="visually-hidden">[{SPOKEN.del}</span>
              {part.text}
              <span className="visually-hidden">]</span>
            </del>
          ),
        )}
      </div>
    </figure>
  );
}
