/**
 * The drawing canvas: thick round strokes from Pointer Events, so mouse, pen and finger all draw.
 * Strokes are kept as points, so switching the ink repaints the same drawing in the other colours.
 */

/** White ink on black, like MNIST; or black ink on white, like pen on paper. */
export type InkStyle = 'white-on-black' | 'black-on-white';

/** What just happened to the drawing. */
export type DrawChange = 'drawing' | 'stroke-end' | 'cleared' | 'ink';

/** Options of {@link DrawPad}. */
export interface DrawPadOptions {
  canvas: HTMLCanvasElement;
  /** Stroke width in canvas pixels (the canvas's own width, not CSS pixels). */
  lineWidth: number;
  ink: InkStyle;
  onChange: (change: DrawChange) => void;
}

type Point = readonly [number, number];

const COLOURS: Record<InkStyle, { ink: string; paper: string }> = {
  'white-on-black': { ink: '#fff', paper: '#000' },
  'black-on-white': { ink: '#000', paper: '#fff' },
};

/**
 * @example
 * const pad = new DrawPad({ canvas, lineWidth: 20, ink: 'white-on-black', onChange: (change) => predictSoon(change) });
 * pad.isEmpty; // true until the first stroke
 */
export class DrawPad {
  private readonly context: CanvasRenderingContext2D;
  private readonly strokes: Point[][] = [];
  private activePointer: number | null = null;
  private ink: InkStyle;

  constructor(private readonly options: DrawPadOptions) {
    const context = options.canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('DrawPad: expected a 2D canvas context, found none');
    this.context = context;
    this.ink = options.ink;
    const { canvas } = options;
    canvas.addEventListener('pointerdown', (event) => this.start(event));
    canvas.addEventListener('pointermove', (event) => this.move(event));
    canvas.addEventListener('pointerup', (event) => this.end(event));
    canvas.addEventListener('pointercancel', (event) => this.end(event));
    this.repaint();
  }

  /** True when nothing has been drawn since the last clear. */
  get isEmpty(): boolean {
    return this.strokes.length === 0;
  }

  /** Repaints the drawing in the other colours. */
  setInk(ink: InkStyle): void {
    this.ink = ink;
    this.repaint();
    this.options.onChange('ink');
  }

  /** Erases every stroke. */
  clear(): void {
    this.strokes.length = 0;
    this.activePointer = null;
    this.repaint();
    this.options.onChange('cleared');
  }

  /** The canvas pixels, for preprocessing in the page. */
  imageData(): ImageData {
    const { width, height } = this.options.canvas;
    return this.context.getImageData(0, 0, width, height);
  }

  /** The canvas as a PNG file, for the server. */
  toPng(): Promise<Blob> {
    return new Promise((resolve, reject) => {
      this.options.canvas.toBlob(
        (blob) =>
          blob === null ? reject(new Error('DrawPad: the canvas could not be encoded as PNG')) : resolve(blob),
        'image/png',
      );
    });
  }

  private start(event: PointerEvent): void {
    if (this.activePointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.activePointer = event.pointerId;
    this.options.canvas.setPointerCapture(event.pointerId);
    const point = this.toCanvas(event);
    this.strokes.push([point]);
    this.paintDot(point);
    this.options.onChange('drawing');
  }

  private move(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    const stroke = this.strokes[this.strokes.length - 1];
    if (stroke === undefined) return;
    // Coalesced events keep fast strokes smooth: the browser merges moves between frames.
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const each of events.length > 0 ? events : [event]) {
      const point = this.toCanvas(each);
      const last = stroke[stroke.length - 1] ?? point;
      stroke.push(point);
      this.paintSegment(last, point);
    }
    this.options.onChange('drawing');
  }

  private end(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    this.activePointer = null;
    this.options.onChange('stroke-end');
  }

  private toCanvas(event: PointerEvent): Point {
    const { canvas } = this.options;
    const rect = canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) * canvas.width) / rect.width,
      ((event.clientY - rect.top) * canvas.height) / rect.height,
    ];
  }

  private repaint(): void {
    const { canvas } = this.options;
    const context = this.context;
    context.fillStyle = COLOURS[this.ink].paper;
    context.fillRect(0, 0, canvas.width, canvas.height);
    for (const stroke of this.strokes) {
      const first = stroke[0];
      if (first === undefined) continue;
      this.paintDot(first);
      for (let i = 1; i < stroke.length; i += 1) this.paintSegment(stroke[i - 1] as Point, stroke[i] as Point);
    }
  }

  private paintDot([x, y]: Point): void {
    const context = this.context;
    context.fillStyle = COLOURS[this.ink].ink;
    context.beginPath();
    context.arc(x, y, this.options.lineWidth / 2, 0, 2 * Math.PI);
    context.fill();
  }

  private paintSegment(from: Point, to: Point): void {
    const context = this.context;
    context.strokeStyle = COLOURS[this.ink].ink;
    context.lineWidth = this.options.lineWidth;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from[0], from[1]);
    context.lineTo(to[0], to[1]);
    context.stroke();
  }
}
