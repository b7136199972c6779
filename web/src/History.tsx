// The chat's assignment history, oldest first: who moved it, through which door, from whom to
// whom, and for routing's own moves the trace of how it chose (every candidate with load,
// capacity and why they were left out).
import { EXCLUDED_LABEL, SOURCE_LABEL, agentName, fullTime, shortTime } from './format.ts';
import type { Assignment, RoutingTrace } from './types.ts';

function policyText(policy: RoutingTrace['policy']): string {
  if (!policy) return '';
  if (typeof policy === 'string') return policy;
  const p = policy as { strategy?: string; capacity?: number | null };
  return [p.strategy?.replace('_', ' '), p.capacity != null ? `capacity ${p.capacity}` : null].filter(Boolean).join(', ');
}

function Trace({ trace }: { trace: RoutingTrace }) {
  return (
    <details className="trace">
      <summary>How routing chose{trace.policy ? ` (${policyText(trace.policy)})` : ''}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Load</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {trace.candidates.map((c) => {
            const won = trace.winner?.id === c.agent.id;
            return (
              <tr key={c.agent.id} className={won ? 'winner' : c.excluded ? 'excluded' : ''}>
                <td>{c.agent.name}</td>
                <td>{c.capacity == null ? c.load : `${c.load}/${c.capacity}`}</td>
                <td>{won ? 'winner' : c.excluded ? (EXCLUDED_LABEL[c.excluded] ?? c.excluded) : 'eligible'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

export function History({ rows }: { rows: Assignment[] }) {
  return (
    <section className="side-section" aria-labelledby="history-title">
      <h3 id="history-title">Assignment history</h3>
      {rows.length === 0 ? (
        <p className="muted small">Never assigned.</p>
      ) : (
        <ol className="history" aria-label="Assignment history">
          {rows.map((h) => (
            <li key={h.id} className="history-row" data-source={h.source}>
              <div className="history-line">
                <strong>{agentName(h.from)}</strong> → <strong>{agentName(h.to)}</strong>
              </div>
              <div className="muted small">
                by {h.assignedBy.name} via {SOURCE_LABEL[h.source] ?? h.source} ·{' '}
                <time title={fullTime(h.createdAt)}>{shortTime(h.createdAt)}</time>
              </div>
              {h.reason && <div className="small reason">{h.reason}</div>}
              {h.trace && <Trace trace={h.trace} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
