import { useEffect, useRef } from 'react';
import type { LogLine } from '../state/store';

export function LogView({ lines }: { lines: LogLine[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [lines.length]);
  if (!lines.length) return <p className="muted small">No messages yet.</p>;
  return (
    <div className="log" ref={ref} data-testid="log">
      {lines.map((l, i) => (
        <div key={i} className={l.level}>
          {new Date(l.t).toLocaleTimeString()} {l.message}
        </div>
      ))}
    </div>
  );
}
