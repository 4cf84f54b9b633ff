import type { S3Client } from '@aws-sdk/client-s3';
import { downloadSegments } from '../download/downloadSegments.js';
import type { SegmentLayout } from '../layout/SegmentLayout.js';
import { listSegments } from '../list/listSegments.js';
import type { SegmentSource } from '../types/SegmentSource.js';

export interface S3SourceOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  layout?: SegmentLayout;
}

/** A `SegmentSource` over a bucket: `list` is `listSegments`, `fetch` is `downloadSegments`. */
export function s3Source(options: S3SourceOptions): SegmentSource {
  const { client, bucket, prefix, layout } = options;
  return {
    type: 's3',
    location: `s3://${bucket}/${prefix}`,
    list: (list) => listSegments({ ...list, client, bucket, prefix, layout }),
    fetch: (segments, fetch) => downloadSegments({ ...fetch, client, bucket, segments }),
  };
}
