import type { Sample } from '../../../workers/labApi';

export function SampleList({ samples, limit = 5 }: { samples: Sample[]; limit?: number }) {
  if (!samples.length) return <p className="muted small">No generated questions yet.</p>;
  return (
    <div className="samples" data-testid="samples">
      {samples.slice(0, limit).map((s) => (
        <div className="sample" key={s.id} data-sample-id={s.id}>
          {s.answer && (
            <div>
              <span className="lbl">Answer</span>
              {s.answer}
            </div>
          )}
          <div>
            <span className="lbl">Reference</span>
            {s.reference}
          </div>
          <div className="gen" data-generated={s.generated}>
            <span className="lbl">Generated</span>
            {s.generated || <i className="muted">(empty)</i>}
          </div>
        </div>
      ))}
    </div>
  );
}
