const width = 120;
const height = 32;

/**
 * A small line chart of recent readings, drawn as SVG geometry like the ratings chart (no inline style, which the
 * CSP forbids). One image for assistive technology: its name says what it shows, the range and the latest value.
 */
export function Sparkline({ values, label, unit = '', bad = false }: { values: number[]; label: string; unit?: string; bad?: boolean }) {
  const finite = values.filter(Number.isFinite);
  const format = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)}${unit}`;
  const name =
    finite.length === 0
      ? `${label}: no readings yet`
      : `${label}: ${finite.length} readings, from ${format(Math.min(...finite))} to ${format(Math.max(...finite))}, now ${format(finite.at(-1) as number)}`;
  const top = Math.max(1e-9, ...finite);
  // A single reading is drawn as a flat line across, so the chart is never blank once there is data.
  const points = finite.length === 1 ? [finite[0] as number, finite[0] as number] : finite;
  const step = points.length > 1 ? width / (points.length - 1) : width;
  const coords = points.map((v, i) => [i * step, height - 2 - ((height - 4) * v) / top] as const);
  const line = coords.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`).join(' ');
  return (
    <svg role="img" aria-label={name} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" className={bad ? 'sparkline sparkline-bad' : 'sparkline'}>
      {coords.length > 0 && (
        <>
          <path className="sparkline-area" d={`${line} L${width} ${height} L0 ${height} Z`} />
          <path className="sparkline-line" d={line} data-testid="sparkline-line" />
        </>
      )}
    </svg>
  );
}
