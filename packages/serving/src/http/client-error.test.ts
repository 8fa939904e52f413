import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { handleClientError } from './client-error';

let server: Server;
let port: number;

beforeAll(async () => {
  // Reads the whole body before answering, as the app does, so parser errors in the body come first.
  server = createServer({ maxHeaderSize: 1024 }, (req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.on('clientError', handleClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends raw bytes and reads until the server closes the connection. */
function send(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

function parse(text: string): {
  status: number;
  contentType: string;
  body: { error: { code: string; message: string } };
} {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return {
    status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]),
    contentType: /content-type: ([^\r]+)/i.exec(head)?.[1] ?? '',
    body: JSON.parse(body) as { error: { code: string; message: string } },
  };
}

describe('handleClientError', () => {
  test('when the chunk size is not hex, then 400 BAD_REQUEST in the JSON error shape naming the chunk', async () => {
    const reply = parse(await send('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n'));
    expect(reply.status).toBe(400);
    expect(reply.contentType).toBe('application/json; charset=utf-8');
    expect(reply.body.error.code).toBe('BAD_REQUEST');
    expect(reply.body.error.message).toContain('chunk size');
  });

  test('when Content-Length is not a number, then 400 BAD_REQUEST naming Content-Length', async () => {
    const reply = parse(await send('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\nabcd'));
    expect({ status: reply.status, code: reply.body.error.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(reply.body.error.message).toContain('Content-Length');
  });

  test('when the headers are larger than the server accepts, then 431 HEADERS_TOO_LARGE', async () => {
    const reply = parse(await send(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4000)}\r\n\r\n`));
    expect({ status: reply.status, code: reply.body.error.code }).toEqual({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });
});
