import type { ReactNode } from 'react';

export function ScreenHeader({ title, lead, children }: { title: string; lead: ReactNode; children?: ReactNode }) {
  return (
    <header className="screen-head">
      <div>
        <h1>{title}</h1>
        <p>{lead}</p>
      </div>
      {children && <div className="row">{children}</div>}
    </header>
  );
}
