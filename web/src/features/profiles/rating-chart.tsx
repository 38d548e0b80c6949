import type { RatingStats } from './api';

const starRows = [
  [5, 'five_stars'],
  [4, 'four_stars'],
  [3, 'three_stars'],
  [2, 'two_stars'],
  [1, 'one_stars'],
] as const;

const averageRows = [
  ['Overall', 'avg_overall_rating'],
  ['Professionalism', 'avg_professionalism'],
  ['Completeness', 'avg_completeness'],
  ['Efficiency', 'avg_efficiency'],
] as const;

const width = 320;
const labelWidth = 58;
const valueWidth = 40;
const barSpace = width - labelWidth - valueWidth;
const rowHeight = 26;
const barHeight = 16;

/** "4.3" for averages; "–" when nothing was rated. */
const oneDecimal = (value: number | null) => (value === null ? '–' : value.toFixed(1));

/**
 * A cleaner's ratings as two small bar charts drawn in SVG: how many evaluations gave each number of stars, and
 * the average of each aspect out of five. Each chart is one image for assistive technology, with its numbers
 * spelled out in its title, so it needs no table beside it. Bars are SVG geometry, not inline styles, which the
 * app's CSP forbids.
 */
export function RatingChart({ stats }: { stats: RatingStats }) {
  const most = Math.max(1, ...starRows.map(([, key]) => stats[key]));
  const histogramSummary = starRows.map(([stars, key]) => `${stars} stars: ${stats[key]}`).join(', ');
  const averagesSummary = averageRows.map(([label, key]) => `${label} ${oneDecimal(stats[key])} of 5`).join(', ');

  return (
    <div className="rating-chart">
      <figure>
        <figcaption>
          {stats.total_evaluations} {stats.total_evaluations === 1 ? 'rating' : 'ratings'}
          {stats.total_no_show > 0 && `, ${stats.total_no_show} no-show${stats.total_no_show === 1 ? '' : 's'}`}
        </figcaption>
        <svg role="img" aria-labelledby="histogram-title" viewBox={`0 0 ${width} ${rowHeight * starRows.length}`} className="chart">
          <title id="histogram-title">Ratings by stars: {histogramSummary}</title>
          {starRows.map(([stars, key], row) => {
            const y = row * rowHeight;
            const count = stats[key];
            return (
              <g key={key} transform={`translate(0 ${y})`}>
                <text x={0} y={barHeight - 3} className="chart-label">
                  {stars} ★
                </text>
                <rect x={labelWidth} y={0} width={barSpace} height={barHeight} rx={3} className="chart-track" />
                <rect x={labelWidth} y={0} width={(barSpace * count) / most} height={barHeight} rx={3} className="chart-bar" data-testid={`bar-${stars}`} />
                <text x={width} y={barHeight - 3} textAnchor="end" className="chart-value">
                  {count}
                </text>
              </g>
            );
          })}
        </svg>
      </figure>
      <figure>
        <figcaption>Averages out of 5</figcaption>
        <svg role="img" aria-labelledby="averages-title" viewBox={`0 0 ${width} ${rowHeight * averageRows.length}`} className="chart">
          <title id="averages-title">Average ratings: {averagesSummary}</title>
          {averageRows.map(([label, key], row) => {
            const value = stats[key];
            return (
              <g key={key} transform={`translate(0 ${row * rowHeight})`}>
                <text x={0} y={barHeight - 3} className="chart-label chart-label-small">
                  {label}
                </text>
                <rect x={labelWidth + 50} y={0} width={barSpace - 50} height={barHeight} rx={3} className="chart-track" />
                <rect x={labelWidth + 50} y={0} width={((barSpace - 50) * (value ?? 0)) / 5} height={barHeight} rx={3} className="chart-bar chart-bar-average" />
                <text x={width} y={barHeight - 3} textAnchor="end" className="chart-value">
                  {oneDecimal(value)}
                </text>
              </g>
            );
          })}
        </svg>
      </figure>
    </div>
  );
}
