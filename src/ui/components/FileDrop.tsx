import { useRef, useState, type ReactNode } from 'react';

interface Props {
  accept?: string;
  multiple?: boolean;
  directory?: boolean;
  disabled?: boolean;
  testId?: string;
  onFiles(files: File[]): void;
  children: ReactNode;
}

/** A click-or-drop zone for files (or, with `directory`, a whole folder). */
export function FileDrop({ accept, multiple, directory, disabled, testId, onFiles, children }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const dirProps = directory ? ({ webkitdirectory: '', directory: '' } as Record<string, string>) : {};
  return (
    <div
      className={`drop${over ? ' over' : ''}`}
      role="button"
      tabIndex={0}
      aria-disabled={disabled}
      onClick={() => !disabled && input.current?.click()}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && !disabled && input.current?.click()}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!disabled && e.dataTransfer.files.length) onFiles(Array.from(e.dataTransfer.files));
      }}
    >
      {children}
      <input
        ref={input}
        type="file"
        data-testid={testId}
        accept={accept}
        multiple={multiple || directory}
        {...dirProps}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}
