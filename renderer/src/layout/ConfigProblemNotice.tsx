import type { ConfigProblemDetail, ConfigProblemView } from '../../../app/common/api.ts';

/** "C:\ProgramData\Lifeboat\policy.json, line 3, column 18, field settings.retentionDays" */
export function configProblemPlace(detail: ConfigProblemDetail): string {
  const parts = [detail.file];
  if (detail.line !== null) parts.push(`line ${detail.line}, column ${detail.column ?? 1}`);
  if (detail.field !== null) parts.push(`field ${detail.field}`);
  return parts.join(', ');
}

/**
 * A settings file or the practice's policy that Lifeboat could not use: one sentence for the GP
 * (notes are still kept; who to tell), the file, line, column and field for IT underneath.
 */
export function ConfigProblemNotice(props: { problem: ConfigProblemView | null | undefined }) {
  const { problem } = props;
  if (!problem) return null;
  return (
    <section className="notice notice-check config-problem" aria-labelledby="config-problem-text" data-testid="config-problem">
      <p id="config-problem-text" className="config-problem-text">
        {problem.forGp}
      </p>
      <details>
        <summary>Details for IT</summary>
        <ul className="plain config-problem-details">
          {problem.details.map((detail, index) => (
            <li key={index}>
              <code>{configProblemPlace(detail)}</code>: {detail.detail}. Instead: {detail.instead}.
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
