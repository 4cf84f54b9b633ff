import type { Dispatcher, Agent as UndiciAgent } from 'undici';
import requestOn from 'undici/lib/api/api-request.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';

/**
 * The two pieces of undici dashget uses, its HTTP/1.1 `Agent` and its
 * `request`, imported from their own modules: undici's entry loads every
 * part of it at start-up (fetch, WebSocket, the caches, the mocks, the
 * proxies), measured on the built CLI at 0.2 s of CPU (`node -e 0` 0.11 s,
 * `import('undici')` 0.33 s), the floor of the bench being 0.4 s. undici
 * has no `exports` map: these paths are its files, pinned by its major
 * version (`request` is what undici's entry assigns to
 * `Dispatcher.prototype.request`).
 */
export const Agent: typeof UndiciAgent = AgentClass;

export function request(
  dispatcher: Dispatcher,
  options: Dispatcher.RequestOptions,
): Promise<Dispatcher.ResponseData> {
  return requestOn.call(dispatcher, options);
}
