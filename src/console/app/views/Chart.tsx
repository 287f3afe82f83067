/** A small line chart in SVG: a series and, when given, the limit it runs against (dashed). */

const WIDTH = 300;
const HEIGHT = 90;

function path(values: number[], max: number, count: number): string {
  const step = WIDTH / Math.max(1, count - 1);
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(HEIGHT - (v / max) * (HEIGHT - 4)).toFixed(1)}`).join(' ');
}

export function Chart({ title, points, limit }: { title: string; points: number[]; limit?: number[] }) {
  const max = Math.max(1, ...points, ...(limit ?? []));
  const latest = points.length > 0 ? points[points.length - 1] : 0;
  const summary = `${title}: latest ${latest.toFixed(2)}${limit?.length ? `, provisioned ${limit[limit.length - 1]}` : ''}`;
  return (
    <figure class="chart">
      <figcaption>{title}: <strong>{latest.toFixed(2)}</strong></figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <rect width={WIDTH} height={HEIGHT} class="bg" />
        {limit && limit.some((v) => v > 0) && <path d={path(limit, max, limit.length)} class="limit" />}
        {points.length > 1 && <path d={path(points, max, points.length)} class="line" />}
        <text x={4} y={12} class="axis">{points.length > 1 ? `max ${max.toFixed(max < 10 ? 2 : 0)}` : 'collecting…'}</text>
      </svg>
    </figure>
  );
}
