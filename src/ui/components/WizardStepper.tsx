export const WIZARD_STEPS = [
  { title: 'Teacher', short: 'fine-tune', why: 'fine-tunes the large model on question generation, so there is a strong model to compress.' },
  { title: 'Student', short: 'drop layers', why: 'copies the teacher and removes encoder layers — fewer layers means fewer parameters and faster generation.' },
  { title: 'Stage 1 · Distill', short: 'imitate teacher', why: "trains the student to match the teacher's predictions (and chosen layers), recovering most of the quality lost by dropping layers." },
  { title: 'Stage 2 · Self-train', short: 'real questions', why: 'fine-tunes the distilled student on the real questions alone, without the teacher, to polish it.' },
  { title: 'Evaluate', short: 'score & run', why: 'generates questions for held-out answers and scores them (BLEU, METEOR, ROUGE-L) so every node of the tree gets an avg_score.' },
];

interface Props {
  step: number;
  onStep(i: number): void;
  locked(i: number): boolean;
  disabled: Partial<Record<number, boolean>>;
}

export function WizardStepper({ step, onStep, locked, disabled }: Props) {
  return (
    <div className="steps" role="tablist">
      {WIZARD_STEPS.map((s, i) => (
        <button
          key={s.title}
          role="tab"
          aria-selected={i === step}
          className={`step${i === step ? ' on' : ''}${disabled[i] || locked(i) ? ' off' : ''}`}
          onClick={() => onStep(i)}
          data-step={i}
        >
          <span className="n">{i + 1}</span>
          <span>
            <div className="t">{s.title}</div>
            <div className="d">{locked(i) ? 'reused' : disabled[i] ? 'skipped' : s.short}</div>
          </span>
        </button>
      ))}
    </div>
  );
}
