import { assertImageShape } from './gray-image';

describe('assertImageShape', () => {
  it('when sizes and data agree, then nothing is thrown', () => {
    expect(() => assertImageShape({ width: 3, height: 2, data: new Uint8Array(6) }, 1, 'f: x')).not.toThrow();
  });

  it('when a size is not a positive integer, then a RangeError names it', () => {
    expect(() => assertImageShape({ width: 0, height: 2, data: new Uint8Array(0) }, 1, 'f: x')).toThrow(
      'f: x: expected positive integer width and height, found 0x2',
    );
    expect(() => assertImageShape({ width: 1.5, height: 2, data: new Uint8Array(3) }, 1, 'f: x')).toThrow(RangeError);
  });
});
