import type { StageKind } from '../../core/experiment/recipe';
import { configFields, type ConfigFieldsContext } from '../configFields';

/** A node's config as labelled short fields that wrap inside their box (the wizard's recipe table, the node panel). */
export function ConfigFields({ stage, config, context }: { stage: StageKind; config: unknown; context?: ConfigFieldsContext }) {
  const fields = configFields(stage, config, context);
  if (fields.length === 0) return <span className="muted small">defaults</span>;
  return (
    <span className="cfg-fields" data-testid="config-fields">
      {fields.map((f) => (
        <span key={f.key} className="cfg-field" data-field={f.key} title={f.title}>
          <span className="k">{f.label}</span> <span className="v">{f.value}</span>
        </span>
      ))}
    </span>
  );
}
