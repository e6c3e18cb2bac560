// Tiny loopback HTTP servers for the tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** A request as a loopback server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: { [name: string]: string | string[] | undefined };
  body: string;
}

/** A running loopback server. */
export interface LoopbackServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Reads a request's body as text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk.toString();
  return body;
}

/** Answers with `status` and a JSON (or raw text) body. */
export function send(response: ServerResponse, status: number, body: unknown, headers: { [name: string]: string } = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(new TextEncoder().encode(text).length), ...headers });
  response.end(text);
}

/** Starts a server on a free loopback port; `handler` gets each request with its body read. */
export async function startServer(
  handler: (request: SeenRequest, response: ServerResponse, raw: IncomingMessage) => void | Promise<void>,
): Promise<LoopbackServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((raw, response) => {
    void (async () => {
      const seen: SeenRequest = { method: raw.method ?? 'GET', url: raw.url ?? '/', headers: raw.headers, body: await readBody(raw) };
      requests.push(seen);
      try {
        await handler(seen, response, raw);
      } catch (error) {
        if (!response.headersSent) send(response, 500, { detail: String(error) });
        else response.destroy();
      }
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
