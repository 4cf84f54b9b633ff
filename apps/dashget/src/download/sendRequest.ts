import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HttpRequestError } from './HttpRequestError.js';

/** Keep-alive pools: `threads` sockets per origin, kept open between requests. */
export interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

export function createAgents(threads: number): Agents {
  const options = { keepAlive: true, maxSockets: threads, maxFreeSockets: threads };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

export interface SendOptions {
  method: 'GET' | 'HEAD';
  headers: OutgoingHttpHeaders;
  /** Aborting destroys the request or its response with `signal.reason`; the listener goes when the response closes. */
  signal: AbortSignal | undefined;
  /** Milliseconds the socket may stay silent (connecting, waiting for the head, between two body chunks). */
  timeout: number;
}

/**
 * One request with Node's own client, resolving at the response's head
 * (any status): `url` without credentials (the caller sends them as a
 * header). A silent socket fails the request, or its body once it has one,
 * with `ETIMEDOUT` (got's messages: `'connect'` while connecting, else
 * `'socket'`); a socket error after the head fails the body.
 */
export function sendRequest(agents: Agents, url: URL, options: SendOptions): Promise<IncomingMessage> {
  const { signal, timeout } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const secure = url.protocol === 'https:';
    let response: IncomingMessage | undefined;
    const request = (secure ? httpsRequest : httpRequest)({
      protocol: url.protocol,
      // A URL's IPv6 host is bracketed; the socket wants the address.
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : url.port,
      path: `${url.pathname}${url.search}`,
      method: options.method,
      headers: options.headers,
      agent: secure ? agents.https : agents.http,
      timeout,
    });
    const fail = (error: unknown) => {
      if (response) response.destroy(error as Error);
      else request.destroy(error as Error);
    };
    const onAbort = () => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => signal?.removeEventListener('abort', onAbort);
    request.on('timeout', () => {
      const phase = request.socket?.connecting ? 'connect' : 'socket';
      fail(
        new HttpRequestError('ETIMEDOUT', `Timeout awaiting '${phase}' for ${timeout}ms`, { url: url.href }),
      );
    });
    // Not `once`: a socket error after the head is emitted here too, and belongs to the body.
    request.on('error', (error) => {
      if (response) {
        response.destroy(error);
        return;
      }
      cleanup();
      reject(error);
    });
    request.once('response', (answer) => {
      response = answer;
      answer.once('close', cleanup);
      resolve(answer);
    });
    request.end();
  });
}
