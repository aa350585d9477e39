/** Requests finished per hour, answered above the line and failed below it: a failing agency shows as a red trend. */
import { AGENCY_NAMES, name } from "./labels";

export interface HourRow {
  hour: string;
  agencyKind: string;
  answered: number;
  failed: number;
}

export function HourlyChart(props: { rows: readonly HourRow[]; hours: number }) {
  const now = Date.now();
  const start = Math.floor(now / 3_600_000) * 3_600_000 - (props.hours - 1) * 3_600_000;
  const buckets = Array.from({ length: props.hours }, (_, i) => ({ at: start + i * 3_600_000, answered: 0, failed: 0 }));
  for (const row of props.rows) {
    const bucket = buckets[Math.floor((new Date(row.hour).getTime() - start) / 3_600_000)];
    if (!bucket) continue;
    bucket.answered += row.answered;
    bucket.failed += row.failed;
  }
  const peak = Math.max(1, ...buckets.map((b) => Math.max(b.answered, b.failed)));
  // Wide enough to fill the main column at 1366 px without stretching the labels.
  const width = 1100;
  const half = 60;
  const step = width / props.hours;
  const failingAgencies = [...new Set(props.rows.filter((r) => r.failed > 0).map((r) => name(AGENCY_NAMES, r.agencyKind)))];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${half * 2 + 20}`} role="img" aria-label="最近24小时每小时答复与失败数">
        <line x1={0} x2={width} y1={half} y2={half} className="axis" />
        {buckets.map((bucket, i) => (
          <g key={bucket.at}>
            <rect
              x={i * step + 2}
              width={step - 4}
              y={half - (bucket.answered / peak) * (half - 4)}
              height={(bucket.answered / peak) * (half - 4)}
              className="ok"
            >
              <title>{`${new Date(bucket.at).getHours()}时 答复 ${bucket.answered}`}</title>
            </rect>
            <rect x={i * step + 2} width={step - 4} y={half} height={(bucket.failed / peak) * (half - 4)} className="bad">
              <title>{`${new Date(bucket.at).getHours()}时 失败 ${bucket.failed}`}</title>
            </rect>
            {i % 3 === 0 && (
              <text x={i * step + step / 2} y={half * 2 + 16} className="tick">
                {new Date(bucket.at).getHours()}时
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        每小时完成的请求：上方<span className="legend ok">答复</span>，下方<span className="legend bad">失败或超时</span>
        {failingAgencies.length > 0 && `（失败来自：${failingAgencies.join("、")}）`}
      </figcaption>
    </figure>
  );
}
