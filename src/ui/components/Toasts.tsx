import { useLab } from '../state/store';

export function Toasts() {
  const toasts = useLab((s) => s.toasts);
  return (
    <div className="toast-host" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind === 'bad' ? 'bad' : ''}`}>{t.text}</div>
      ))}
    </div>
  );
}
