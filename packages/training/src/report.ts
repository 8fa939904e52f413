import type { EpochRecord } from '@lenet/checkpoint';
import { escapeHtml, lineChart } from './report-charts';
import type { WrongExample } from './report-diagnostics';
import { confusionSection, percent, summarySection, wrongSection } from './report-sections';

/** What the report shows besides the history. Every field after `details` is optional: without it, its part is left out. */
export interface ReportInfo {
  title: string;
  /** One line each, listed under the summary (data folder, counts, hyperparameters). */
  details: string[];
  /** Backend the run trained on, e.g. 'wasm'. */
  backend?: string;
  /** Fingerprint of the training data (checkpoint metadata `data.fingerprint`). */
  dataFingerprint?: string;
  /** The final checkpoint's confusion matrix on the test set, confusion[true][predicted] (see `diagnoseTestSet`). */
  confusion?: number[][];
  /** The most confidently wrong test digits, most confident first; the report draws 24 (see `diagnoseTestSet`). */
  wrong?: WrongExample[];
  /** Names of the classes 0..9 (e.g. Fashion-MNIST's); the digits themselves otherwise. */
  classNames?: string[];
}

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:1400px;margin:2em auto;padding:0 1.5em;color:#222;background:#fff}
h1{margin-bottom:.2em}h2{font-size:1.2em;margin:1.6em 0 .4em}.note{color:#666;font-size:.9em}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;margin:1em 0}
.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;background:#fafafa}
.card dt{font-size:.8em;color:#555;text-transform:uppercase;letter-spacing:.04em}
.card dd{margin:4px 0 0;font-size:1.35em;font-weight:600;overflow-wrap:anywhere}.card.mono dd:first-of-type{font-family:ui-monospace,monospace;font-size:1.15em}.card dd.note{font-size:.85em;font-weight:400;margin-top:2px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:24px}
.chart{margin:0}.chart figcaption{font-weight:600;margin-bottom:4px}.chart svg{width:100%;height:auto;display:block}
.heatmap{border-collapse:collapse;font-variant-numeric:tabular-nums}
.heatmap th,.heatmap td{min-width:3.2em;padding:6px 8px;text-align:right;border:1px solid #eee}
.heatmap td.dark{color:#fff}.heatmap td.total{color:#666}.heatmap td.accuracy{font-weight:600}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(110px,1fr));gap:12px}
.digit{margin:0;text-align:center;border:1px solid #eee;border-radius:6px;padding:8px}
.digit img{image-rendering:pixelated;border:1px solid #ccc}
.digit figcaption{font-size:.85em;line-height:1.4}.digit .true{color:#1f77b4}.digit .predicted{color:#d62728;display:block}
.digit .confidence{color:#666;display:block}
.history{border-collapse:collapse;font-variant-numeric:tabular-nums}.history td,.history th{padding:2px 10px;text-align:right;border-bottom:1px solid #eee}
`;

function historyTable(history: EpochRecord[]): string {
  const rows = history
    .map(
      (r) =>
        `<tr><td>${r.epoch}</td><td>${r.trainLoss.toFixed(4)}</td><td>${percent(r.trainAccuracy)}</td><td>${r.testLoss.toFixed(4)}</td><td>${percent(r.testAccuracy)}</td><td>${r.seconds.toFixed(1)}</td><td>${Math.round(r.imagesPerSecond)}</td></tr>`,
    )
    .join('\n');
  return `<section id="history"><h2>Every epoch</h2>
<table class="history"><thead><tr><th>epoch</th><th>train loss</th><th>train acc</th><th>test loss</th><th>test acc</th><th>seconds</th><th>images/s</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>`;
}

function charts(history: EpochRecord[]): string {
  const epochs = history.map((r) => r.epoch);
  const train = '#1f77b4';
  const test = '#d62728';
  const loss = lineChart(
    'loss-chart',
    'Loss (softmax cross-entropy, log scale)',
    epochs,
    [
      { label: 'train', color: train, values: history.map((r) => r.trainLoss) },
      { label: 'test', color: test, values: history.map((r) => r.testLoss) },
    ],
    { scale: 'log', format: (v) => String(v), label: 'loss' },
  );
  const accuracy = lineChart(
    'accuracy-chart',
    'Accuracy',
    epochs,
    [
      { label: 'train', color: train, values: history.map((r) => r.trainAccuracy) },
      { label: 'test', color: test, values: history.map((r) => r.testAccuracy) },
    ],
    { scale: 'linear', format: percent, label: 'accuracy' },
  );
  return `<section id="charts" class="charts">${loss}${accuracy}</section>`;
}

/**
 * A self-contained HTML training report (no scripts, no external assets): a summary of the run, the loss
 * (log scale) and accuracy curves side by side, the final checkpoint's confusion matrix as a heat map,
 * the most confidently wrong test digits drawn as images, and every epoch's figures.
 *
 * @example
 * const diagnostics = diagnoseTestSet(result.model, test);
 * await writeFile('output/report.html', renderReport(result.history, {
 *   title: 'LeNet training on data/mnist', details: ['8000 training / 2000 test images'],
 *   backend: 'wasm', dataFingerprint: split.fingerprint, ...diagnostics,
 * }));
 */
export function renderReport(history: EpochRecord[], info: ReportInfo): string {
  const className = (k: number) => info.classNames?.[k] ?? String(k);
  const parts = [
    summarySection(history, info.backend, info.dataFingerprint),
    info.details.length > 0
      ? `<ul class="details">${info.details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>`
      : '',
    history.length > 0 ? charts(history) : '',
    info.confusion === undefined ? '' : confusionSection(info.confusion, className),
    info.wrong === undefined ? '' : wrongSection(info.wrong, className),
    historyTable(history),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(info.title)}</h1>
${parts.filter((p) => p !== '').join('\n')}
</body></html>
`;
}
