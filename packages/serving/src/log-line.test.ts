import { textLogLine } from './log-line';

const at = '2025-01-01T12:00:01.000Z';
const localTime = new Date(at).toTimeString().slice(0, 8);

describe('textLogLine', () => {
  test('when the entry is a request, then the line is the time, method, route, status and milliseconds', () => {
    const line = textLogLine({
      level: 'info',
      message: 'request',
      timestamp: at,
      id: 'a1',
      method: 'POST',
      route: '/predict',
      status: 200,
      ms: 3.21,
    });
    expect(line).toBe(`${localTime} POST /predict 200 3.2 ms`);
  });

  test('when a request failed with a code, then the code ends the line', () => {
    const line = textLogLine({
      level: 'info',
      message: 'request',
      timestamp: at,
      method: 'POST',
      route: '/predict',
      status: 422,
      ms: 2000,
      code: 'IMAGE_DECODE_TIMEOUT',
    });
    expect(line).toBe(`${localTime} POST /predict 422 2000.0 ms IMAGE_DECODE_TIMEOUT`);
  });

  test('when the entry is a warning with fields, then it says warn: and lists the fields as key=value', () => {
    const line = textLogLine({
      level: 'warn',
      message: 'worker replaced',
      timestamp: at,
      worker: 2,
      why: { code: 'X' },
    });
    expect(line).toBe(`${localTime} warn: worker replaced worker=2 why={"code":"X"}`);
  });

  test('when the entry is plain info, then it is the time and the message', () => {
    expect(textLogLine({ level: 'info', message: 'image decoder: jimp', timestamp: at })).toBe(
      `${localTime} image decoder: jimp`,
    );
  });
});
