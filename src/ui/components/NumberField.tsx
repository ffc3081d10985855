interface Props {
  label: string;
  value: number | undefined;
  onChange(v: number | undefined): void;
  hint?: string;
  step?: number | 'any';
  min?: number;
  max?: number;
  placeholder?: string;
  name?: string;
  testId?: string;
}

/** A labelled number input; empty means "engine default". */
export function NumberField({ label, value, onChange, hint, step = 'any', min, max, placeholder = 'default', name, testId }: Props) {
  const id = `f-${name ?? label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        data-testid={testId}
        className="input num"
        type="number"
        step={step}
        min={min}
        max={max}
        placeholder={placeholder}
        value={value === undefined || Number.isNaN(value) ? '' : value}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
      {hint && <span className="hint">{hint}</span>}
    </div>
  );
}
