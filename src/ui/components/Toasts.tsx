import { useEffect } from 'react';
import { useLab, type Toast } from '../state/store';

/** How long a toast stays up. */
const SHOW_MS: Record<Toast['kind'], number> = { info: 4000, bad: 9000 };

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useLab((s) => s.dismissToast);
  useEffect(() => {
    const t = setTimeout(() => dismiss(toast.id), SHOW_MS[toast.kind]);
    return () => clearTimeout(t);
  }, [toast.id, toast.kind, dismiss]);
  return <div className={`toast ${toast.kind === 'bad' ? 'bad' : ''}`}>{toast.text}</div>;
}

export function Toasts() {
  const toasts = useLab((s) => s.toasts);
  return (
    <div className="toast-host" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
