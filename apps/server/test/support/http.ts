/**
 * Clients for the tests: real HTTP against the real server, with fetch for ordinary requests and a
 * raw socket for what fetch will not send (broken multipart bodies, uploads cut off midway).
 */
import { connect } from 'node:net';

/** One part of a multipart body. */
export interface Part {
  field?: string;
  name?: string;
  type?: string;
  bytes: Uint8Array | string;
}

/** The parsed answer to a request. */
export interface Answer {
  status: number;
  headers: Headers;
  // Any: tests read whatever fields each route documents.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}

/**
 * POSTs a multipart form; each part is a file unless `name` is omitted and `bytes` is a string.
 *
 * @example
 * await postParts(`${url}/predict`, [{ bytes: png, name: 'digit.png', type: 'image/png' }]); // { status: 200, body: {...} }
 */
export async function postParts(url: string, parts: Part[]): Promise<Answer> {
  const form = new FormData();
  for (const part of parts) {
    const field = part.field ?? 'file';
    if (part.name === undefined && typeof part.bytes === 'string') form.append(field, part.bytes);
    else
      form.append(
        field,
        new Blob([part.bytes], { type: part.type ?? 'application/octet-stream' }),
        part.name ?? 'upload',
      );
  }
  return answer(await fetch(url, { method: 'POST', body: form }));
}

/** POSTs one file as the `file` part. */
export function postFile(url: string, bytes: Uint8Array, name = 'digit.png', type = 'image/png'): Promise<Answer> {
  return postParts(url, [{ bytes, name, type }]);
}

/** POSTs a raw body with the given headers. */
export async function postRaw(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<Answer> {
  return answer(await fetch(url, { method: 'POST', body, headers }));
}

/** GETs a URL. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return answer(await fetch(url, { headers }));
}

/**
 * Sends raw bytes over a socket and returns the raw response text, or '' when the server closes
 * without answering. With `hangUp`, sends the bytes and closes the socket without reading.
 */
export function rawHttp(url: string, bytes: string | Buffer, options: { hangUp?: boolean } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(bytes);
      if (options.hangUp === true) {
        socket.destroy();
        resolve('');
      }
    });
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => {
      socket.destroy();
      resolve(received);
    });
  });
}

/** Status code and JSON body of a raw HTTP response. */
export function parseRawResponse(text: string): {
  status: number;
  body: { error?: { code: string; message: string } };
} {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  const bodyStart = text.indexOf('\r\n\r\n');
  return {
    status,
    body: bodyStart < 0 ? {} : (JSON.parse(text.slice(bodyStart + 4)) as { error?: { code: string; message: string } }),
  };
}
