import type { S3Client } from '@aws-sdk/client-s3';

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
}

/**
 * Records every HTTP request a client sends (one entry per attempt): a
 * middleware in the `deserialize` step reading the real outgoing request.
 */
export function logRequests(client: S3Client): LoggedRequest[] {
  const log: LoggedRequest[] = [];
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { method?: string; path?: string; query?: Record<string, unknown> };
      log.push({
        method: request.method ?? '',
        path: decodeURIComponent(request.path ?? ''),
        query: { ...request.query },
      });
      return next(args);
    },
    { step: 'deserialize', name: 'testRequestLog' },
  );
  return log;
}
