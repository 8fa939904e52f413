import { digitsToModelInput, digitToModelInput, MNIST_MEAN, MNIST_STD } from './model-input';

describe('digitsToModelInput', () => {
  test('when a digit is converted, then it is padded by 2 black pixels and normalised with the MNIST mean and std', () => {
    const digit = new Uint8Array(784);
    digit[0] = 255; // top-left pixel of the digit
    digit[783] = 51; // bottom-right pixel
    const input = digitToModelInput(digit);
    const black = (0 - MNIST_MEAN) / MNIST_STD;
    expect(input).toHaveLength(1024);
    expect(input[0]).toBeCloseTo(black, 6);
    expect(input[2 * 32 + 1]).toBeCloseTo(black, 6); // padding left of the digit
    expect(input[2 * 32 + 2]).toBeCloseTo((1 - MNIST_MEAN) / MNIST_STD, 5);
    expect(input[29 * 32 + 29]).toBeCloseTo((51 / 255 - MNIST_MEAN) / MNIST_STD, 5);
    expect(input[29 * 32 + 30]).toBeCloseTo(black, 6);
  });

  test('when several digits are converted at once, then each lands in its own 1024-value slot', () => {
    const digits = new Uint8Array(3 * 784);
    digits.fill(255, 784, 2 * 784);
    const inputs = digitsToModelInput(digits);
    expect(inputs).toHaveLength(3 * 1024);
    expect(inputs[1024 + 2 * 32 + 2]).toBeCloseTo((1 - MNIST_MEAN) / MNIST_STD, 5);
    expect(inputs[2 * 1024 + 2 * 32 + 2]).toBeCloseTo((0 - MNIST_MEAN) / MNIST_STD, 5);
  });

  test('when the digit has the wrong size, then the error names what was expected and found', () => {
    expect(() => digitToModelInput(new Uint8Array(100))).toThrow('expected 784 bytes (28x28), found 100');
    expect(() => digitsToModelInput(new Uint8Array(100), 1)).toThrow(
      'expected at least 784 bytes for 1 digits, found 100',
    );
  });
});
