/**
 * The right-hand panel: the digit the model saw, the answer with its confidence and timings, the
 * ten probabilities, and the alert for errors.
 */
import { digitToRgba } from '@lenet/image/browser';
import { byId } from './dom';
import { formatMs, formatPercent } from './format';
import type { Prediction } from './prediction';
import { ProbabilityChart } from './probability-chart';

/**
 * @example
 * const view = new ResultView();
 * view.showDigit(digit);
 * view.showPrediction(prediction);
 */
export class ResultView {
  private readonly saw = byId('saw', HTMLCanvasElement);
  private readonly sawCaption = byId('saw-caption', HTMLElement);
  private readonly answer = byId('answer', HTMLElement);
  private readonly confidence = byId('confidence', HTMLElement);
  private readonly latency = byId('latency', HTMLElement);
  private readonly modelInfo = byId('model-info', HTMLElement);
  private readonly alert = byId('error', HTMLElement);
  private readonly chart = new ProbabilityChart(byId('chart', HTMLOListElement));
  private readonly defaultCaption = this.sawCaption.textContent ?? '';

  /** Shows the 28x28 digit (white on black), upscaled by CSS with hard pixel edges. */
  showDigit(digit: Uint8Array): void {
    const context = this.saw.getContext('2d');
    // digitToRgba allocates a fresh (never shared) buffer, which is what ImageData requires.
    const rgba = digitToRgba(digit) as Uint8ClampedArray<ArrayBuffer>;
    context?.putImageData(new ImageData(rgba, 28, 28), 0, 0);
    this.saw.classList.remove('is-empty');
    this.sawCaption.textContent = this.defaultCaption;
  }

  /** Blanks the preview, with a note on why (e.g. "keep drawing"). */
  clearDigit(note: string = this.defaultCaption): void {
    const context = this.saw.getContext('2d');
    context?.clearRect(0, 0, this.saw.width, this.saw.height);
    this.saw.classList.add('is-empty');
    this.sawCaption.textContent = note;
  }

  /** Shows an answer and clears any earlier error. */
  showPrediction(prediction: Prediction): void {
    this.hideError();
    this.answer.textContent = String(prediction.likelyClass);
    this.confidence.textContent = formatPercent(prediction.confidence);
    this.latency.textContent =
      prediction.source === 'server'
        ? `server ${formatMs(prediction.modelMs)}, round trip ${formatMs(prediction.totalMs)}`
        : `in this browser ${formatMs(prediction.modelMs)}, with preprocessing ${formatMs(prediction.totalMs)}`;
    const { epoch, weightsHash } = prediction.model;
    this.modelInfo.textContent = `${prediction.source === 'server' ? 'server' : 'this browser'}: epoch ${epoch ?? '?'}, weights ${weightsHash ?? '?'}`;
    this.chart.show(prediction.probabilities, prediction.likelyClass);
  }

  /** Back to the empty state: no answer, no error. */
  clearPrediction(): void {
    this.answer.textContent = '–';
    this.confidence.textContent = '–';
    this.latency.textContent = '–';
    this.chart.clear();
  }

  /** Puts `message` in the alert (read out by screen readers) and clears the answer it replaces. */
  showError(message: string): void {
    this.clearPrediction();
    this.alert.textContent = message;
    this.alert.hidden = false;
  }

  /** Empties and hides the alert. */
  hideError(): void {
    this.alert.hidden = true;
    this.alert.textContent = '';
  }
}
