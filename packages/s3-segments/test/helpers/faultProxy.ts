import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to the GET of one object. */
export type ProxyFault =
  /** Headers with the full Content-Length, half the body, then the connection is destroyed. */
  | 'reset'
  /** Half the body with a Content-Length that matches it (a lying server). */
  | 'short'
  /** The full body with its first byte flipped. */
  | 'corrupt'
  /** 403 with an S3 `AccessDenied` error document, as a bucket policy would answer. */
  | 'deny';

export interface FaultProxy {
  endpoint: string;
  /** GETs seen per request path (`/bucket/key`). */
  gets: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A small HTTP proxy in front of the S3 server that damages chosen GET
 * responses: `faults` maps `/bucket/key` to a fault and how many of its
 * GETs to damage (Infinity: all).
 */
export async function startFaultProxy(
  upstream: string,
  faults: Map<string, { fault: ProxyFault; times: number }>,
): Promise<FaultProxy> {
  const target = new URL(upstream);
  const gets = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    const upstreamRequest = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamResponse) => {
        const rule = req.method === 'GET' ? faults.get(path) : undefined;
        if (req.method === 'GET') gets.set(path, (gets.get(path) ?? 0) + 1);
        if (rule === undefined || rule.times <= 0 || upstreamResponse.statusCode !== 200) {
          res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(res);
          return;
        }
        rule.times--;
        if (rule.fault === 'deny') {
          upstreamResponse.resume();
          res.writeHead(403, { 'content-type': 'application/xml' });
          res.end(
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
          );
          return;
        }
        const chunks: Buffer[] = [];
        upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamResponse.on('end', () => {
          const body = Buffer.concat(chunks);
          const half = body.subarray(0, body.length >> 1);
          if (rule.fault === 'reset') {
            res.writeHead(200, upstreamResponse.headers);
            res.write(half, () => setTimeout(() => res.socket?.destroy(), 20));
          } else if (rule.fault === 'short') {
            res.writeHead(200, { ...upstreamResponse.headers, 'content-length': String(half.length) });
            res.end(half);
          } else {
            body[0] = (body[0] ?? 0) ^ 0xff;
            res.writeHead(200, upstreamResponse.headers);
            res.end(body);
          }
        });
      },
    );
    upstreamRequest.on('error', () => res.destroy());
    req.pipe(upstreamRequest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    gets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
