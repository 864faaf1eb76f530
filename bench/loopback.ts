/** One request at a time over a kept-alive connection per host, timed: the bench's HTTP client on loopback. */
import { Agent, request } from 'node:http';

export interface Req {
  method: 'GET' | 'POST';
  path: string;
  /** A form unless `headers` say otherwise. */
  body?: string;
  headers?: Record<string, string>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export function send(url: string, req: Req): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(
      `${url}${req.path}`,
      {
        method: req.method,
        agent,
        headers: {
          ...(req.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(req.body) }),
          ...req.headers,
        },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${req.method} ${req.path} timed out`)));
    outgoing.end(req.body);
  });
}
