import { useEffect } from 'react';
import { Sidebar } from './components/Sidebar';
import { Toasts } from './components/Toasts';
import { CompareScreen } from './screens/CompareScreen';
import { DataScreen } from './screens/DataScreen';
import { ExportScreen } from './screens/ExportScreen';
import { LiveScreen } from './screens/LiveScreen';
import { ModelScreen } from './screens/ModelScreen';
import { PlaygroundScreen } from './screens/PlaygroundScreen';
import { TreeScreen } from './screens/TreeScreen';
import { WizardScreen } from './screens/WizardScreen';
import { useLab, type Screen } from './state/store';

const SCREENS: Record<Screen, () => React.JSX.Element> = {
  data: DataScreen,
  model: ModelScreen,
  wizard: WizardScreen,
  live: LiveScreen,
  tree: TreeScreen,
  compare: CompareScreen,
  playground: PlaygroundScreen,
  export: ExportScreen,
};

export function App() {
  const screen = useLab((s) => s.screen);
  const booted = useLab((s) => s.booted);
  useEffect(() => {
    const fromHash = () => {
      const h = location.hash.slice(1) as Screen;
      if (h in SCREENS && h !== useLab.getState().screen) useLab.getState().go(h);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    void useLab.getState().boot();
    return () => window.removeEventListener('hashchange', fromHash);
  }, []);
  const Current = SCREENS[screen];
  return (
    <div className="app" data-booted={booted ? 'yes' : 'no'}>
      <Sidebar />
      <main className="main">
        <Current />
      </main>
      <Toasts />
    </div>
  );
}
