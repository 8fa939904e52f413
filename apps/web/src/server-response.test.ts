import { PageError, ServerError } from './errors';
import { errorFromResponse, parsePredictBody } from './server-response';

const probabilities = [0.01, 0, 0, 0, 0, 0, 0, 0.97, 0.02, 0];

describe('parsePredictBody', () => {
  test('when the body has the documented fields, then they become a server prediction with both timings', () => {
    const body = {
      filename: 'drawing.png',
      contenttype: 'image/png',
      likely_class: 7,
      probabilities,
      confidence: 0.97,
      model: { epoch: 3, weights_hash: '8e1508ff8b20' },
      ms: 2.5,
    };
    expect(parsePredictBody(body, 14)).toEqual({
      source: 'server',
      likelyClass: 7,
      probabilities,
      confidence: 0.97,
      modelMs: 2.5,
      totalMs: 14,
      model: { epoch: 3, weightsHash: '8e1508ff8b20' },
    });
  });

  test('when optional fields are missing, then confidence comes from the probabilities and the rest is unknown', () => {
    const prediction = parsePredictBody({ likely_class: 7, probabilities }, 9);
    expect(prediction.confidence).toBe(0.97);
    expect(prediction.modelMs).toBeNaN();
    expect(prediction.model).toEqual({ epoch: null, weightsHash: null });
  });

  test.each([
    ['not an object', [1, 2], /the response: expected a JSON object, found \[1,2\]/],
    [
      'nine probabilities',
      { likely_class: 1, probabilities: probabilities.slice(1) },
      /probabilities: expected 10 numbers between 0 and 1/,
    ],
    ['a class out of range', { likely_class: 10, probabilities }, /likely_class: expected an integer 0-9, found 10/],
  ])('when the body is %s, then a BAD_RESPONSE error names the field', (_, body, message) => {
    const parse = () => parsePredictBody(body, 1);
    expect(parse).toThrow(PageError);
    expect(parse).toThrow(message);
  });
});

describe('errorFromResponse', () => {
  test('when the server sends its error JSON, then its code and message are kept word for word', () => {
    const error = errorFromResponse(
      415,
      'Unsupported Media Type',
      JSON.stringify({
        error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'notes.png: expected an image, found text' },
      }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'notes.png: expected an image, found text',
    });
  });

  test('when the body is not the error JSON, then the message still says what happened', () => {
    expect(errorFromResponse(502, 'Bad Gateway', '<html>oops</html>')).toMatchObject({
      status: 502,
      code: 'HTTP_502',
      message: 'the server answered 502 Bad Gateway without an explanation',
    });
  });
});
