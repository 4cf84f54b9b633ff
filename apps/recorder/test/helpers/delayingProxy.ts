import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DelayingProxy {
  /** `http://127.0.0.1:<port>`: use it as the S3 endpoint. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of an S3 server that holds back each GET
 * whose path matches `slow` by `delayMs` before forwarding it: a download
 * that takes long enough to be interrupted at a known point. Everything
 * else passes through untouched (s3rver does not check signatures, so the
 * changed Host is fine).
 */
export async function startDelayingProxy(
  target: string,
  slow: RegExp,
  delayMs: number,
): Promise<DelayingProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forward = () => {
      const outgoing = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      outgoing.on('error', () => res.destroy());
      req.pipe(outgoing);
    };
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    if (req.method === 'GET' && slow.test(path)) setTimeout(forward, delayMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
