import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main>
      <h1>QG Distill Lab</h1>
      <p>Distil a BERT question-generation model in your browser.</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
