/** One curve of a chart. */
export interface Series {
  label: string;
  color: string;
  values: number[];
}

/** How a chart maps values to height. */
export interface ChartAxis {
  scale: 'linear' | 'log';
  format: (value: number) => string;
  label: string;
}

const WIDTH = 560;
const HEIGHT = 320;
const MARGIN = { left: 76, right: 16, top: 28, bottom: 44 };

/**
 * `&`, `<`, `>`, `"` and `'` as character references, for text and attribute values.
 *
 * @example
 * escapeHtml('a < b'); // 'a &#60; b'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 1, 2 and 5 times each power of ten from below `low` to above `high`, ascending. */
function steps125(low: number, high: number): number[] {
  const out: number[] = [];
  for (let exponent = Math.floor(Math.log10(low)) - 1; exponent <= Math.ceil(Math.log10(high)); exponent += 1) {
    for (const mantissa of [1, 2, 5]) out.push(Number((mantissa * 10 ** exponent).toPrecision(1)));
  }
  return out;
}

/**
 * Axis bounds widened to round values and the ticks between them: for a log axis the 1-2-5 values
 * around the data, for a linear one at most 6 ticks a 1-2-5 step apart.
 */
function axisTicks(scale: ChartAxis['scale'], low: number, high: number): number[] {
  if (scale === 'log') {
    const candidates = steps125(low, high);
    const from = candidates.filter((t) => t <= low).at(-1) ?? low;
    const to = candidates.find((t) => t >= high) ?? high;
    return candidates.filter((t) => t >= from && t <= to);
  }
  const step = steps125((high - low) / 10, high - low).find((s) => (high - low) / s <= 5) ?? high - low;
  const from = Math.floor(low / step + 1e-9) * step;
  const to = Math.ceil(high / step - 1e-9) * step;
  return Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) =>
    Number((from + i * step).toPrecision(12)),
  );
}

/**
 * An SVG line chart of `series` against epochs, titled above the plot, with a linear or log value axis.
 * Self-contained: no scripts, no external assets; it scales to its column's width.
 *
 * @example
 * lineChart('loss', 'Loss', [1, 2], [{ label: 'test', color: '#d62728', values: [0.3, 0.1] }], lossAxis);
 * // '<figure class="chart" id="loss-chart"><figcaption>Loss</figcaption><svg ...>...</svg></figure>'
 */
export function lineChart(id: string, title: string, epochs: number[], series: Series[], axis: ChartAxis): string {
  const usable = (v: number) => Number.isFinite(v) && (axis.scale === 'linear' || v > 0);
  const values = series.flatMap((s) => s.values).filter(usable);
  const to = axis.scale === 'log' ? Math.log10 : (v: number) => v;
  let low = values.length > 0 ? Math.min(...values) : 0.5;
  let high = values.length > 0 ? Math.max(...values) : 1;
  if (!(high > low)) [low, high] = axis.scale === 'log' ? [low / 2, high * 2] : [low - 0.05, high + 0.05];
  const ticks = axisTicks(axis.scale, low, high);
  low = Math.min(low, ticks[0] ?? low);
  high = Math.max(high, ticks.at(-1) ?? high);
  const first = epochs[0] ?? 1;
  const last = epochs.at(-1) ?? first;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (epoch: number) => MARGIN.left + ((epoch - first) / Math.max(1, last - first)) * plotWidth;
  const y = (v: number) => MARGIN.top + (1 - (to(v) - to(low)) / (to(high) - to(low))) * plotHeight;
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e3e3e3"/><text x="${MARGIN.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(axis.format(t))}</text>`,
    )
    .join('');
  const lines = series
    .map((s) => {
      const points = s.values
        .map((v, i) => (usable(v) ? `${x(epochs[i] ?? first).toFixed(1)},${y(v).toFixed(1)}` : ''))
        .filter((p) => p !== '')
        .join(' ');
      const dots = s.values.length <= 40 ? points.split(' ').filter((p) => p !== '') : [];
      const markers = dots
        .map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="${s.color}"/>`)
        .join('');
      return `<polyline class="series" data-label="${escapeHtml(s.label)}" fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>${markers}`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<text x="${MARGIN.left + 8 + i * 120}" y="${MARGIN.top - 10}" fill="${s.color}">&#9632; ${escapeHtml(s.label)}</text>`,
    )
    .join('');
  const yLabel = `<text transform="translate(12 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(axis.label)}</text>`;
  const xLabel = `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle">epoch (${first}-${last})</text>`;
  return `<figure class="chart" id="${id}"><figcaption>${escapeHtml(title)}</figcaption>
<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">
${grid}${lines}${legend}${yLabel}${xLabel}</svg></figure>`;
}
