// The lab's UI state (zustand), composed of slices (./slices): session, data & model, wizard, run, tree,
// playground.
// Components read from here and call these actions; the actions talk to the worker. What worker events do to the
// state is the pure reducer in ./reduceEvents.ts.
import { create } from 'zustand';
import { connectLab } from './labClient';
import { createDataSlice } from './slices/dataSlice';
import { createPlaygroundSlice } from './slices/playgroundSlice';
import { createRunSlice } from './slices/runSlice';
import { createSessionSlice } from './slices/sessionSlice';
import { createSuggestSlice } from './slices/suggestSlice';
import { createTreeSlice } from './slices/treeSlice';
import type { LabDeps, LabState } from './slices/types';
import { createWizardSlice } from './slices/wizardSlice';

export type { LabState } from './slices/types';
export type { Screen, Toast } from './slices/sessionSlice';
export type { LogLine, RunState } from './reduceEvents';

export function createLabStore(deps: LabDeps) {
  return create<LabState>()((...a) => ({
    ...createSessionSlice(deps)(...a),
    ...createDataSlice(deps)(...a),
    ...createWizardSlice(deps)(...a),
    ...createRunSlice(deps)(...a),
    ...createTreeSlice(deps)(...a),
    ...createSuggestSlice(deps)(...a),
    ...createPlaygroundSlice(deps)(...a),
  }));
}

export const useLab = createLabStore(connectLab());
