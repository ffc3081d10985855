interface Props {
  layers: number;
  kept: number[];
  editable: boolean;
  onToggle(i: number): void;
}

/** The teacher's encoder layers; filled = kept in the student. */
export function LayerPicker({ layers, kept, editable, onToggle }: Props) {
  return (
    <div className="layer-picker" data-testid="layer-picker">
      {Array.from({ length: layers }, (_, i) => (
        <button
          key={i}
          type="button"
          className={`layer${kept.includes(i) ? ' keep' : ''}`}
          disabled={!editable}
          title={`teacher layer ${i}${kept.includes(i) ? ' (kept)' : ' (dropped)'}`}
          onClick={() => onToggle(i)}
          style={{ cursor: editable ? 'pointer' : 'default' }}
        >
          {i}
        </button>
      ))}
    </div>
  );
}
