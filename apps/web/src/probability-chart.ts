/**
 * The ten probabilities as a bar chart that is also a list of numbers: each row holds the digit, a
 * bar (decoration, hidden from screen readers) and the value as text.
 */
import { formatPercent } from './format';

/**
 * @example
 * const chart = new ProbabilityChart(byId('chart', HTMLOListElement));
 * chart.show([0.01, 0, 0, 0, 0, 0, 0, 0.98, 0.01, 0], 7); // row 7 gets the longest, highlighted bar
 */
export class ProbabilityChart {
  private readonly rows: Array<{ row: HTMLLIElement; bar: HTMLSpanElement; value: HTMLSpanElement }> = [];

  constructor(list: HTMLOListElement) {
    list.replaceChildren();
    for (let digit = 0; digit < 10; digit += 1) {
      const row = document.createElement('li');
      row.className = 'chart-row';
      const label = document.createElement('span');
      label.className = 'chart-digit';
      label.textContent = String(digit);
      const track = document.createElement('span');
      track.className = 'chart-track';
      track.setAttribute('aria-hidden', 'true');
      const bar = document.createElement('span');
      bar.className = 'chart-bar';
      track.append(bar);
      const value = document.createElement('span');
      value.className = 'chart-value';
      row.append(label, track, value);
      list.append(row);
      this.rows.push({ row, bar, value });
    }
    this.clear();
  }

  /** Draws `probabilities` (ten, index = digit) and marks `likelyClass`. */
  show(probabilities: readonly number[], likelyClass: number): void {
    this.rows.forEach(({ row, bar, value }, digit) => {
      const p = probabilities[digit] ?? 0;
      bar.style.setProperty('--p', String(p));
      value.textContent = formatPercent(p);
      row.classList.toggle('is-answer', digit === likelyClass);
    });
  }

  /** Empty bars and dashes: nothing has been classified. */
  clear(): void {
    for (const { row, bar, value } of this.rows) {
      bar.style.setProperty('--p', '0');
      value.textContent = '–';
      row.classList.remove('is-answer');
    }
  }
}
