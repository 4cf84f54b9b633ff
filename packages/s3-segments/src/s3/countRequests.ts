import type { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Operation, S3Stats } from '../types/S3Stats.js';

/**
 * Counts every HTTP attempt of one command in `stats` (SDK retries included):
 * a middleware in the `deserialize` step, which runs once per attempt, added
 * to the command's own stack so the caller's client is left untouched.
 */
export function countRequests<C extends ListObjectsV2Command | GetObjectCommand>(
  command: C,
  operation: S3Operation,
  stats: S3Stats | undefined,
): C {
  if (stats === undefined) return command;
  (command as ListObjectsV2Command).middlewareStack.add(
    (next) => (args) => {
      stats.requests.total++;
      stats.requests[operation]++;
      return next(args);
    },
    { step: 'deserialize', name: 'recCountRequests', override: true },
  );
  return command;
}
