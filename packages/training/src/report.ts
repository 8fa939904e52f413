import type { EpochRecord } from '@lenet/checkpoint';

/** One curve of a chart. */
interface Series {
  label: string;
  color: string;
  values: number[];
}

const WIDTH = 560;
const HEIGHT = 300;
const MARGIN = { left: 56, right: 16, top: 28, bottom: 40 };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An SVG line chart of `series` against epochs, self-contained (no scripts, no external assets). */
function lineChart(title: string, epochs: number[], series: Series[], format: (v: number) => string): string {
  const values = series.flatMap((s) => s.values).filter(Number.isFinite);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (!(high > low)) {
    low -= 0.5;
    high += 0.5;
  }
  const first = epochs[0] ?? 1;
  const last = epochs.at(-1) ?? first;
  const x = (epoch: number) =>
    MARGIN.left + ((epoch - first) / Math.max(1, last - first)) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (v: number) => MARGIN.top + (1 - (v - low) / (high - low)) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const ticks = Array.from({ length: 5 }, (_, i) => low + ((high - low) * i) / 4);
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end">${format(t)}</text>`,
    )
    .join('');
  const lines = series
    .map((s) => {
      const points = s.values.map((v, i) => `${x(epochs[i] ?? first).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<text x="${MARGIN.left + 8 + i * 140}" y="${MARGIN.top - 10}" fill="${s.color}">&#9632; ${escapeHtml(s.label)}</text>`,
    )
    .join('');
  return `<figure><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">
${grid}${lines}${legend}<text x="${WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle">epoch (${first}-${last})</text></svg><figcaption>${escapeHtml(title)}</figcaption></figure>`;
}

/**
 * A self-contained HTML training report: loss and accuracy curves per epoch and the table of figures.
 *
 * @example
 * await writeFile('output/report.html', renderReport(history, { title: 'LeNet on data/mnist', details: ['backend: wasm'] }));
 */
export function renderReport(history: EpochRecord[], info: { title: string; details: string[] }): string {
  const epochs = history.map((r) => r.epoch);
  const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
  const rows = history
    .map(
      (r) =>
        `<tr><td>${r.epoch}</td><td>${r.trainLoss.toFixed(4)}</td><td>${percent(r.trainAccuracy)}</td><td>${r.testLoss.toFixed(4)}</td><td>${(r.testAccuracy * 100).toFixed(2)}%</td><td>${r.seconds.toFixed(1)}</td><td>${Math.round(r.imagesPerSecond)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}figure{display:inline-block;margin:0 1em 1em 0}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #eee}</style></head>
<body><h1>${escapeHtml(info.title)}</h1>
<ul>${info.details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>
${lineChart(
  'Loss (softmax cross-entropy)',
  epochs,
  [
    { label: 'train', color: '#1f77b4', values: history.map((r) => r.trainLoss) },
    { label: 'test', color: '#d62728', values: history.map((r) => r.testLoss) },
  ],
  (v) => v.toFixed(3),
)}
${lineChart(
  'Accuracy',
  epochs,
  [
    { label: 'train', color: '#1f77b4', values: history.map((r) => r.trainAccuracy) },
    { label: 'test', color: '#d62728', values: history.map((r) => r.testAccuracy) },
  ],
  percent,
)}
<table><thead><tr><th>epoch</th><th>train loss</th><th>train acc</th><th>test loss</th><th>test acc</th><th>seconds</th><th>images/s</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
