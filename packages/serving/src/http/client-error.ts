/**
 * Requests Node's HTTP parser refuses before Express sees them (a lying `Content-Length`, bad
 * chunking, oversized headers): answered in the server's JSON error shape instead of Node's bare
 * `400 Bad Request`, then the connection is closed, since the parser cannot find the next request.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PublicErrorCode } from './error-table';
import { ERROR_TABLE } from './error-table';
import { DEFAULT_CSP } from './security-headers';

/** Node's parser error codes, as what was found; the rest are named by their code. */
const FOUND: Readonly<Record<string, string>> = {
  HPE_INVALID_CONTENT_LENGTH: 'an invalid Content-Length',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'a Content-Length together with Transfer-Encoding, or two of them',
  HPE_INVALID_CHUNK_SIZE: 'a broken chunk size in a chunked body',
  HPE_INVALID_TRANSFER_ENCODING: 'an invalid Transfer-Encoding',
  HPE_INVALID_METHOD: 'no valid HTTP method (often bytes left over from a body shorter than its Content-Length)',
  HPE_INVALID_HEADER_TOKEN: 'an invalid header',
  HPE_HEADER_OVERFLOW: 'more header bytes than the server accepts',
  ERR_HTTP_REQUEST_TIMEOUT: 'a request whose headers or body did not arrive in time',
};

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

function codeFor(nodeCode: string | undefined): PublicErrorCode {
  if (nodeCode === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (nodeCode === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  return 'BAD_REQUEST';
}

/**
 * The server's `clientError` listener: writes `{"error": {"code", "message"}}` with status 400
 * (`BAD_REQUEST`), 408 (`REQUEST_TIMEOUT`) or 431 (`HEADERS_TOO_LARGE`) and closes the connection.
 * A connection already reset, or one whose response has started, is only destroyed.
 *
 * @example
 * const server = http.createServer(app);
 * server.on('clientError', handleClientError);
 * // 'POST /predict HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n' ->
 * // HTTP/1.1 400 Bad Request ... {"error":{"code":"BAD_REQUEST","message":"HTTP request: expected ..., found a broken chunk size ..."}}
 */
export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  const started = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage?.headersSent ?? false;
  if (error.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  const code = codeFor(error.code);
  const { status } = ERROR_TABLE[code];
  const found =
    (error.code !== undefined ? FOUND[error.code] : undefined) ?? `${error.code ?? 'an error'} (${error.message})`;
  const body = JSON.stringify({
    error: { code, message: `HTTP request: expected a well-formed HTTP/1.1 request, found ${found}` },
  });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      `Content-Security-Policy: ${DEFAULT_CSP}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
