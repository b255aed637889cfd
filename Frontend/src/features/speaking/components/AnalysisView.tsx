import { analysisRows } from '../analysis-format'

export function AnalysisView({ result }: { result: unknown }) {
  const rows = analysisRows(result)
  if (rows.length === 0) return <p className="muted">The analysis finished without figures.</p>
  return (
    <dl className="analysis" aria-label="Speaking analysis">
      {rows.map((row) => (
        <div className="analysis__row" key={row.label}>
          <dt>{row.label}</dt>
          <dd>{row.kind === 'value' ? row.value : <Sparkline values={row.values} label={row.label} />}</dd>
        </div>
      ))}
    </dl>
  )
}

function Sparkline({ values, label }: { values: number[]; label: string }) {
  const width = 160
  const height = 36
  const min = Math.min(...values)
  const max = Math.max(...values)
  const span = max - min || 1
  const points = values
    .map((v, i) => `${((i / (values.length - 1)) * width).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`)
    .join(' ')
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`${label}: ${values.length} points from ${Math.round(min)} to ${Math.round(max)}`}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
    </svg>
  )
}
