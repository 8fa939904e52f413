import type { EpochRecord } from '@lenet/checkpoint';
import { DIGIT_SIZE } from '@lenet/digit';
import { escapeHtml } from './report-charts';
import type { WrongExample } from './report-diagnostics';
import { grayPngDataUri } from './report-png';

/**
 * A 0..1 fraction as a percentage with two decimals, the one format the report uses for every percentage.
 *
 * @example
 * percent(0.98051); // '98.05%'
 */
export function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : '-';
}

/**
 * Seconds as a person reads a duration.
 *
 * @example
 * duration(135.4); // '2 min 15 s'
 */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return `${hours > 0 ? `${hours} h ` : ''}${minutes} min ${whole % 60} s`;
}

/**
 * The header's cards: final and best test accuracy with their epochs, time, throughput, backend, data.
 *
 * @example
 * summarySection(history, 'wasm', fingerprint);
 * // '<section id="summary"><dl class="cards"><div class="card"><dt>Final test accuracy</dt><dd>98.05%</dd>...'
 */
export function summarySection(history: EpochRecord[], backend?: string, fingerprint?: string): string {
  const card = (name: string, value: string, note = '', fullValue = '') =>
    `<div class="card${fullValue ? ' mono' : ''}"${fullValue ? ` title="${escapeHtml(fullValue)}"` : ''}><dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>${note ? `<dd class="note">${escapeHtml(note)}</dd>` : ''}</div>`;
  const final = history.at(-1);
  const cards: string[] = [];
  if (final === undefined) {
    cards.push(card('Epochs', '0', 'no epoch completed'));
  } else {
    const best = history.reduce((a, b) => (b.testAccuracy > a.testAccuracy ? b : a));
    const seconds = history.reduce((sum, r) => sum + r.seconds, 0);
    // Weighted by time, this is total images over total seconds, not a mean of per-epoch rates.
    const imagesPerSecond = history.reduce((sum, r) => sum + r.imagesPerSecond * r.seconds, 0) / seconds;
    cards.push(
      card('Final test accuracy', percent(final.testAccuracy), `epoch ${final.epoch}`),
      card('Best test accuracy', percent(best.testAccuracy), `epoch ${best.epoch}`),
      card('Total time', duration(seconds), `${history.length} epoch${history.length === 1 ? '' : 's'}`),
      card('Training speed', `${Math.round(imagesPerSecond).toLocaleString('en-US')} images/s`, 'mean over the run'),
    );
  }
  if (backend !== undefined) cards.push(card('Backend', backend, 'TensorFlow.js'));
  if (fingerprint !== undefined)
    cards.push(card('Data fingerprint', fingerprint.slice(0, 12), 'training images and labels', fingerprint));
  return `<section id="summary"><dl class="cards">${cards.join('')}</dl></section>`;
}

/**
 * The confusion matrix as a heat map: the diagonal in blue by the share of its row, mistakes in red by
 * their count relative to the largest mistake (shares of a row would leave them all near white), and
 * each class's accuracy.
 *
 * @example
 * confusionSection(evaluation.confusion, String);
 * // '<section id="confusion"><h2>Confusion matrix ...</h2>...<table class="heatmap">...'
 */
export function confusionSection(confusion: number[][], className: (k: number) => string): string {
  const worst = Math.max(1, ...confusion.flatMap((row, t) => row.filter((_, p) => p !== t)));
  const header = `<tr><th scope="col">true \\ predicted</th>${confusion.map((_, k) => `<th scope="col">${escapeHtml(className(k))}</th>`).join('')}<th scope="col">count</th><th scope="col">accuracy</th></tr>`;
  const rows = confusion.map((row, truth) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((count, predicted) => {
      const right = predicted === truth;
      const strength = right ? (total === 0 ? 0 : count / total) : count / worst;
      const color = right ? `rgba(31,119,180,${strength.toFixed(3)})` : `rgba(214,39,40,${strength.toFixed(3)})`;
      const share = total === 0 ? '' : ` (${percent(count / total)} of ${className(truth)})`;
      const title = `true ${className(truth)}, predicted ${className(predicted)}: ${count}${share}`;
      const ink = strength > 0.55 ? ' class="dark"' : '';
      return `<td${ink} style="background:${color}" title="${escapeHtml(title)}">${count === 0 ? '' : count}</td>`;
    });
    const accuracy = total === 0 ? Number.NaN : (row[truth] as number) / total;
    return `<tr><th scope="row">${escapeHtml(className(truth))}</th>${cells.join('')}<td class="total">${total}</td><td class="accuracy">${percent(accuracy)}</td></tr>`;
  });
  return `<section id="confusion"><h2>Confusion matrix of the final checkpoint (test set)</h2>
<p class="note">Rows are the true class, columns the prediction; blue is the share of the row classified right, red the number of mistakes (darkest: the most common mistake).</p>
<table class="heatmap"><thead>${header}</thead><tbody>${rows.join('\n')}</tbody></table></section>`;
}

/**
 * The gallery: each wrong digit as an inline PNG, dark ink on white as it was written, with both classes.
 *
 * @example
 * wrongSection(diagnostics.wrong, String);
 * // '<section id="wrong"><h2>The 24 most confidently wrong test digits</h2>...<img src="data:image/png;base64,...'
 */
export function wrongSection(wrong: WrongExample[], className: (k: number) => string, shown = 24): string {
  const items = wrong.slice(0, shown).map((w) => {
    // IDX digits are white on black; inverted, they look like the ink on paper they were scanned from.
    const ink = w.pixels.map((v) => 255 - v);
    const text = `true ${className(w.label)}, predicted ${className(w.predicted)} (${percent(w.confidence)})`;
    return `<figure class="digit" data-index="${w.index}"><img src="${grayPngDataUri(ink, DIGIT_SIZE, DIGIT_SIZE)}" width="84" height="84" alt="test digit ${w.index}: ${escapeHtml(text)}"><figcaption><span class="true">true ${escapeHtml(className(w.label))}</span> <span class="predicted">predicted ${escapeHtml(className(w.predicted))}</span><span class="confidence">${percent(w.confidence)}</span></figcaption></figure>`;
  });
  const body =
    items.length > 0 ? `<div class="gallery">${items.join('')}</div>` : '<p>No test digit was misclassified.</p>';
  return `<section id="wrong"><h2>The ${items.length} most confidently wrong test digits</h2>
<p class="note">Ordered by the probability the final checkpoint gave its wrong answer.</p>${body}</section>`;
}
