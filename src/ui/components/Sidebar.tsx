import { useLab, type Screen } from '../state/store';
import { BackendBadge } from './BackendBadge';
import { StorageMeter } from './StorageMeter';

const ITEMS: { screen: Screen; label: string }[] = [
  { screen: 'data', label: 'Data' },
  { screen: 'model', label: 'Model' },
  { screen: 'wizard', label: 'Wizard' },
  { screen: 'live', label: 'Live training' },
  { screen: 'tree', label: 'Branch tree' },
  { screen: 'compare', label: 'Compare' },
  { screen: 'playground', label: 'Playground' },
  { screen: 'export', label: 'Export' },
];

export function Sidebar() {
  const screen = useLab((s) => s.screen);
  const go = useLab((s) => s.go);
  const hasData = useLab((s) => !!s.dataset);
  const hasModel = useLab((s) => !!s.baseModel);
  const run = useLab((s) => s.run);
  const nodeCount = useLab((s) => Object.keys(s.nodes).length);
  const evaluated = useLab((s) => Object.values(s.nodes).filter((n) => n.scores).length);
  const badge: Partial<Record<Screen, string>> = {
    data: hasData ? '✓' : '',
    model: hasModel ? '✓' : 'optional',
    live: run?.active ? 'running' : '',
    tree: nodeCount ? String(nodeCount) : '',
    compare: evaluated ? String(evaluated) : '',
  };
  return (
    <nav className="sidebar" aria-label="Lab sections">
      <div className="brand">
        <div className="brand-mark">QG</div>
        <div>
          <div className="brand-name">QG Distill Lab</div>
          <div className="brand-sub">BERT-SQG distillation in your browser</div>
        </div>
      </div>
      {ITEMS.map((it, i) => (
        <button
          key={it.screen}
          className={`nav-item${screen === it.screen ? ' active' : ''}${(it.screen === 'data' && hasData) || (it.screen === 'model' && hasModel) ? ' complete' : ''}`}
          onClick={() => go(it.screen)}
          data-nav={it.screen}
          aria-current={screen === it.screen ? 'page' : undefined}
        >
          <span className="nav-index">{i + 1}</span>
          {it.label}
          {badge[it.screen] && <span className="nav-badge">{badge[it.screen]}</span>}
        </button>
      ))}
      <div className="sidebar-foot">
        <BackendBadge />
        <StorageMeter />
      </div>
    </nav>
  );
}
