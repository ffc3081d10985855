export interface Stat {
  label: string;
  value: string;
  hint?: string;
}

export function StatGrid({ stats }: { stats: Stat[] }) {
  return (
    <div className="stats">
      {stats.map((s) => (
        <div className="stat" key={s.label} title={s.hint}>
          <div className="k">{s.label}</div>
          <div className="v">{s.value}</div>
        </div>
      ))}
    </div>
  );
}
