import type { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Operation } from '../types/S3Stats.js';
import type { AttemptLog } from './AttemptLog.js';

interface SentRequest {
  protocol?: string;
  hostname?: string;
  port?: number;
}

/**
 * Reports every HTTP attempt of one command to `log` (SDK retries included):
 * a middleware at the top of the `deserialize` step, which runs once per
 * attempt, after signing, around the deserializer (so a 503 arrives here as
 * the SDK's `SlowDown` error). It is added to the command's own stack, so
 * the caller's client is left untouched.
 */
export function observeAttempts<C extends ListObjectsV2Command | GetObjectCommand>(
  command: C,
  operation: S3Operation,
  log: AttemptLog,
): C {
  (command as ListObjectsV2Command).middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as SentRequest;
      const endpoint =
        request.hostname === undefined
          ? undefined
          : `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
      log.begin(operation, endpoint);
      try {
        return await next(args);
      } catch (error) {
        // Our own abort is not something the server did.
        if ((error as { name?: unknown } | null)?.name !== 'AbortError') log.fail(error);
        throw error;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'recObserveAttempts', override: true },
  );
  return command;
}
