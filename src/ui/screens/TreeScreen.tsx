import { NodePanel } from '../components/NodePanel';
import { ScreenHeader } from '../components/ScreenHeader';
import { TreeView } from '../components/TreeView';
import { useLab } from '../state/store';

export function TreeScreen() {
  const nodes = useLab((s) => s.nodes);
  const selectedId = useLab((s) => s.selectedId);
  const select = useLab((s) => s.select);
  const count = Object.keys(nodes).length;
  return (
    <div className="screen">
      <ScreenHeader
        title="Branch tree"
        lead="Every node is a saved checkpoint with its score. Fork any node to try other settings from that point; the best path is drawn in blue."
      />
      <div className="stack">
        <div className="card">
          <div className="card-head">
            <h2>
              {count} node{count === 1 ? '' : 's'}
            </h2>
            <div className="legend">
              avg_score low <span className="bar" /> high · <span style={{ color: '#3a5bd9', fontWeight: 700 }}>━</span> best path
            </div>
          </div>
          <TreeView nodes={nodes} selectedId={selectedId} onSelect={(id) => void select(id)} />
        </div>
        <NodePanel />
      </div>
    </div>
  );
}
