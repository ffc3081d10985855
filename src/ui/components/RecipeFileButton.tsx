import { useRef } from 'react';
import { draftFromRecipeFile } from '../state/recipeFile';
import { useLab } from '../state/store';

/** "Open recipe file…": loads a recipe JSON (the format `qglab run` takes) into the wizard's draft. */
export function RecipeFileButton({ disabled }: { disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const open = async (file: File) => {
    const { draft, setDraft, toast } = useLab.getState();
    try {
      const next = draftFromRecipeFile(new Uint8Array(await file.arrayBuffer()), file.name, draft.preset);
      useLab.setState({ forkFrom: null });
      setDraft((d) => void Object.assign(d, next));
      toast(`Recipe ${file.name} loaded into the wizard`);
    } catch (e) {
      toast(`Cannot open the recipe: ${(e as Error).message}`, 'bad');
    }
  };
  return (
    <>
      <button className="btn ghost sm" disabled={disabled} onClick={() => input.current?.click()} title="Load a recipe JSON file (the format qglab run takes)">
        Open recipe file…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="recipe-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void open(f);
        }}
      />
    </>
  );
}
