// A hand-written SVG chart: wall time vs N, one panel per operation, log-log axes, one line per provider.
const COLORS = { 'ours-cold': '#7aa6d8', ours: '#1f77b4', hashicorp: '#d62728', terraform_data: '#7f7f7f' };
const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * @param {{series: {name: string, key: string, points: Record<string, [number, number][]>}[], ops: [string, string][], subtitle?: string}} input
 *   points[op] = [[N, seconds], ...]
 */
export function renderChart({ series, ops, subtitle = '' }) {
  const panelW = 300;
  const panelH = 240;
  const margin = { left: 56, right: 16, top: 64, bottom: 48 };
  const width = margin.left + ops.length * panelW + margin.right;
  const height = margin.top + panelH + margin.bottom;

  const all = series.flatMap((s) => Object.values(s.points).flat());
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y).filter((y) => y > 0);
  const xMin = Math.min(1, ...xs);
  const xMax = Math.max(10, ...xs);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...(ys.length ? ys : [0.01]))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...(ys.length ? ys : [10]))));
  const lx = (x) => (Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin) || 1);
  const ly = (y) => (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1);
  const plotW = panelW - 24;
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);
  const yTicks = [];
  for (let y = yMin; y <= yMax * 1.0001; y *= 10) yTicks.push(y);
  const fmt = (y) => (y >= 1 ? String(Math.round(y)) : String(Number(y.toPrecision(1))));

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="18" font-size="14" font-weight="bold">Wall time vs number of aws_sagemaker_model resources (log-log, median)</text>`,
    `<text x="${margin.left}" y="34" fill="#555">${escape(subtitle)}</text>`,
  ];
  series.forEach((s, i) => {
    const x = margin.left + i * 190;
    out.push(`<line x1="${x}" y1="48" x2="${x + 20}" y2="48" stroke="${COLORS[s.key] ?? '#000'}" stroke-width="2.5"/>`);
    out.push(`<text x="${x + 26}" y="52">${escape(s.name)}</text>`);
  });
  ops.forEach(([op, label], p) => {
    const ox = margin.left + p * panelW;
    const oy = margin.top;
    const px = (x) => ox + lx(x) * plotW;
    const py = (y) => oy + panelH - ly(y) * panelH;
    out.push(`<text x="${ox + plotW / 2}" y="${oy - 4}" text-anchor="middle" font-weight="bold">${escape(label)}</text>`);
    out.push(`<rect x="${ox}" y="${oy}" width="${plotW}" height="${panelH}" fill="none" stroke="#999"/>`);
    for (const y of yTicks) {
      out.push(`<line x1="${ox}" y1="${py(y)}" x2="${ox + plotW}" y2="${py(y)}" stroke="#eee"/>`);
      if (p === 0) out.push(`<text x="${ox - 6}" y="${py(y) + 4}" text-anchor="end">${fmt(y)} s</text>`);
    }
    for (const x of xTicks) {
      out.push(`<line x1="${px(x)}" y1="${oy}" x2="${px(x)}" y2="${oy + panelH}" stroke="#eee"/>`);
      out.push(`<text x="${px(x)}" y="${oy + panelH + 16}" text-anchor="middle">${x}</text>`);
    }
    out.push(`<text x="${ox + plotW / 2}" y="${oy + panelH + 34}" text-anchor="middle" fill="#555">N models</text>`);
    for (const s of series) {
      const pts = (s.points[op] ?? []).filter(([, y]) => y > 0);
      const color = COLORS[s.key] ?? '#000';
      if (pts.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
      for (const [x, y] of pts) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"><title>${escape(`${s.name}, ${label}, N=${x}: ${y.toFixed(2)} s`)}</title></circle>`);
    }
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
