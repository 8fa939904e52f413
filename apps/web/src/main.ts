/**
 * Entry point of the page: finds the elements of `index.html`, wires the drawing pad, the file drop
 * zone and the mode switch to one {@link LatestRunner}, and shows what comes back.
 */
import { browserModel } from './browser-predictor';
import { classifyInput, isNoDigit, type Mode, type PageInput, type Preview } from './classify-input';
import { byId } from './dom';
import { DrawPad, type InkStyle } from './draw-pad';
import { watchFileDrop } from './file-drop';
import { formatBytes, formatMs } from './format';
import { LatestRunner } from './latest-runner';
import { describeError } from './messages';
import { ResultView } from './result-view';

/** Least time between two predictions while a stroke is being drawn. */
const PREDICT_INTERVAL_MS = 150;
/** Stroke width on the 280 px canvas: about the width of an MNIST stroke once scaled to 20 px. */
const LINE_WIDTH = 22;

const view = new ResultView();
const resultPanel = byId('result', HTMLElement);
const modeStatus = byId('mode-status', HTMLElement);
const fileName = byId('file-name', HTMLElement);
const fileThumb = byId('file-thumb', HTMLImageElement);
let current: PageInput = { kind: 'drawing' };

const runner = new LatestRunner<{ input: PageInput; mode: Mode }>({
  minIntervalMs: PREDICT_INTERVAL_MS,
  onBusyChange: (busy) => resultPanel.setAttribute('aria-busy', String(busy)),
  run: async ({ input, mode }) => {
    try {
      const prediction = await classifyInput(input, mode, pad, (preview) => showPreview(input, preview));
      if (prediction === null) {
        view.hideError();
        view.clearPrediction();
      } else {
        view.showPrediction(prediction);
      }
    } catch (error) {
      view.showError(describeError(error));
    }
  },
});

const pad = new DrawPad({
  canvas: byId('pad', HTMLCanvasElement),
  lineWidth: LINE_WIDTH,
  ink: selectedInk(),
  onChange: (change) => {
    if (current.kind === 'file') showFile(null);
    current = { kind: 'drawing' };
    classifySoon(change !== 'drawing');
  },
});

byId('clear', HTMLButtonElement).addEventListener('click', () => pad.clear());
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="ink"]')) {
  radio.addEventListener('change', () => pad.setInk(selectedInk()));
}
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  radio.addEventListener('change', () => void switchMode(selectedMode()));
}
// A file the browser cannot show (it may still be one the server can read): no broken-image icon.
fileThumb.addEventListener('error', () => {
  fileThumb.hidden = true;
});
watchFileDrop({
  zone: byId('drop-zone', HTMLElement),
  input: byId('file', HTMLInputElement),
  onFile: (file) => {
    current = { kind: 'file', file };
    showFile(file);
    classifySoon(true);
  },
});
void switchMode(selectedMode());

function classifySoon(immediate: boolean): void {
  runner.submit({ input: current, mode: selectedMode() }, immediate);
}

async function switchMode(mode: Mode): Promise<void> {
  if (mode === 'server') {
    modeStatus.textContent = 'Answers come from the server: each drawing or file is sent to POST /predict.';
    classifySoon(true);
    return;
  }
  modeStatus.textContent = 'Loading TensorFlow.js and the checkpoint into this browser…';
  try {
    const model = await browserModel();
    if (selectedMode() !== 'browser') return;
    const { epoch, weightsHash } = model.identity;
    modeStatus.textContent =
      `In-browser model ready: TensorFlow.js (${model.backend} backend) loaded the served checkpoint ` +
      `(epoch ${epoch ?? '?'}, weights ${weightsHash ?? '?'}) in ${formatMs(model.loadMs)}.`;
    classifySoon(true);
  } catch (error) {
    setMode('server');
    modeStatus.textContent = 'The in-browser model could not be loaded; answers still come from the server.';
    view.showError(describeError(error));
  }
}

function showPreview(input: PageInput, preview: Preview): void {
  if ('digit' in preview) view.showDigit(preview.digit);
  else if (input.kind === 'drawing' && pad.isEmpty) view.clearDigit();
  else if (input.kind === 'drawing' && isNoDigit(preview.error)) view.clearDigit('Keep drawing: no digit found yet.');
  else view.clearDigit(`No preview: ${describeError(preview.error)}`);
}

function showFile(file: File | null): void {
  if (fileThumb.src !== '') URL.revokeObjectURL(fileThumb.src);
  if (file === null) {
    fileName.textContent = '';
    fileThumb.removeAttribute('src');
    fileThumb.hidden = true;
    return;
  }
  fileName.textContent = `${file.name} (${formatBytes(file.size)})`;
  fileThumb.src = URL.createObjectURL(file);
  fileThumb.hidden = false;
}

function selectedMode(): Mode {
  return document.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.value === 'browser'
    ? 'browser'
    : 'server';
}

function setMode(mode: Mode): void {
  const radio = document.querySelector<HTMLInputElement>(`input[name="mode"][value="${mode}"]`);
  if (radio !== null) radio.checked = true;
}

function selectedInk(): InkStyle {
  return document.querySelector<HTMLInputElement>('input[name="ink"]:checked')?.value === 'black-on-white'
    ? 'black-on-white'
    : 'white-on-black';
}
