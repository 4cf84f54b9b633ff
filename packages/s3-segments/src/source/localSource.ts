import { stat } from 'node:fs/promises';
import { ProgressUnit } from '@rec/core';
import type { DownloadedFile } from '../download/downloadSegments.js';
import type { SegmentLayout } from '../layout/SegmentLayout.js';
import { listLocalSegments } from '../local/listLocalSegments.js';
import { localPath, localRoot } from '../local/localRoot.js';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import type { SegmentSource } from '../types/SegmentSource.js';

export interface LocalSourceOptions {
  /** Directory (path or `file://` URL) laid out like the bucket. */
  root: string | URL;
  prefix?: string;
  layout?: SegmentLayout;
}

/**
 * A `SegmentSource` over a local directory: `list` is `listLocalSegments`,
 * `fetch` copies nothing; it checks each file is still there with its listed
 * size and returns its path (`skipped: true`).
 */
export function localSource(options: LocalSourceOptions): SegmentSource {
  const root = localRoot(options.root);
  const { prefix, layout } = options;
  return {
    type: 'local',
    location: root,
    list: (list) => listLocalSegments({ ...list, root, prefix, layout }),
    async fetch(segments, fetch) {
      fetch.signal?.throwIfAborted();
      const files: DownloadedFile[] = [];
      for (const segment of segments) {
        const path = localPath(root, segment);
        const size = await stat(path).then(
          (info) => (info.isFile() ? info.size : undefined),
          () => undefined,
        );
        if (size === undefined || size !== segment.size) {
          throw new S3SegmentsError(
            S3SegmentsErrorCode.ObjectNotFound,
            size === undefined
              ? `Segment file ${path} is gone`
              : `Segment file ${path} changed size (${size} bytes, listed ${segment.size})`,
            { key: segment.key },
          );
        }
        files.push({ segment, path, bytes: size, skipped: true });
      }
      const total = files.reduce((sum, file) => sum + file.bytes, 0);
      fetch.onProgress?.({
        transferred: total,
        total,
        percent: 1,
        unit: ProgressUnit.Bytes,
        files: files.length,
        filesTotal: files.length,
      });
      return { files, bytesDownloaded: 0, bytesSkipped: total, requests: 0 };
    },
  };
}
