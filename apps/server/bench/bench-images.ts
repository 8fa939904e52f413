/**
 * The benchmark's uploads, made at bench time from a real MNIST test digit (nothing committed):
 * the tutorial's 28x28 PNG, photo-like JPEGs of 280x280 and 1000x1000, and a 4000x3000 phone photo.
 */
import { buildEmbeddedMnist } from '@lenet/data';
import { Jimp } from 'jimp';

/** One kind of upload and the connection counts it is measured at by default. */
export interface BenchImage {
  label: string;
  name: string;
  type: 'image/png' | 'image/jpeg';
  connections: number[];
  make(): Promise<Buffer>;
}

type JimpImage = InstanceType<typeof Jimp>;

function digitImage(inverted: boolean): JimpImage {
  const digit = buildEmbeddedMnist().test.images.subarray(0, 784);
  const image = new Jimp({ width: 28, height: 28, color: 0xffffffff });
  for (let i = 0; i < 784; i += 1) {
    // PNG as in MNIST (white on black); JPEGs as a photo of paper (black on white).
    const v = inverted ? 255 - (digit[i] ?? 0) : (digit[i] ?? 0);
    image.bitmap.data.set([v, v, v, 255], i * 4);
  }
  return image;
}

function squareJpeg(size: number): Promise<Buffer> {
  const image = digitImage(true);
  image.resize({ w: size, h: size });
  return image.getBuffer('image/jpeg', { quality: 90 });
}

/** A 4000x3000 page with the digit 1200 px tall in the middle, as a phone photo of a note would be. */
async function phonePhoto(): Promise<Buffer> {
  const page = new Jimp({ width: 4000, height: 3000, color: 0xf2f2f2ff });
  const digit = digitImage(true);
  digit.resize({ w: 1200, h: 1200 });
  page.composite(digit, 1400, 900);
  return page.getBuffer('image/jpeg', { quality: 85 });
}

/** Every image the benchmark knows, by the name `--images` takes. */
export const BENCH_IMAGES: Readonly<Record<string, BenchImage>> = {
  png28: {
    label: '28x28 PNG',
    name: 'digit.png',
    type: 'image/png',
    connections: [1, 8, 64],
    make: () => digitImage(false).getBuffer('image/png'),
  },
  jpeg280: {
    label: '280x280 JPEG',
    name: 'digit.jpg',
    type: 'image/jpeg',
    connections: [1, 8, 64],
    make: () => squareJpeg(280),
  },
  jpeg1000: {
    label: '1000x1000 JPEG',
    name: 'photo.jpg',
    type: 'image/jpeg',
    connections: [1, 8, 64],
    make: () => squareJpeg(1000),
  },
  jpeg4000: {
    label: '4000x3000 JPEG',
    name: 'phone.jpg',
    type: 'image/jpeg',
    connections: [8],
    make: phonePhoto,
  },
};

/**
 * A complete multipart body with the image as its `file` part.
 *
 * @example
 * multipart(png, 'digit.png', 'image/png', 'b').subarray(0, 8).toString(); // '--b\r\nCon'
 */
export function multipart(bytes: Buffer, name: string, type: string, boundary: string): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}
