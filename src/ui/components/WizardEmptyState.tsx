import type { ReactNode } from 'react';
import { useLab } from '../state/store';

/** A card's empty state that sends the user to the wizard: what is missing, and the button that starts a run. */
export function WizardEmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="empty">
      {children}
      <button className="btn primary" onClick={() => useLab.getState().go('wizard')}>
        Open the wizard
      </button>
    </div>
  );
}
