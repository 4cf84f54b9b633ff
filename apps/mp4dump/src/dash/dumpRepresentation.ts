import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { openFileSource, withAtomicFile } from '@rec/core/node';
import type { BoxParseError } from '@rec/fmp4-boxes';
import { type DumpOptions, dumpSource } from '../dump/index.js';
import { createTextSink } from '../output/TextSink.js';
import type { MeasuredSegment } from './measureSegments.js';
import { sliceSource } from './sliceSource.js';

export interface RepresentationDump {
  boxes: number;
  /** The damaged segments, each dumped as far as it is valid. */
  errors: { segment: MeasuredSegment; error: BoxParseError }[];
}

/** `init` or `segment <number>`. */
export const segmentLabel = (segment: MeasuredSegment) =>
  segment.kind === 'init' ? 'init' : `segment ${segment.number}`;

/** `init + 4 media segments`. */
function describeCount(segments: readonly MeasuredSegment[]): string {
  const media = segments.filter((segment) => segment.kind === 'media').length;
  const init = segments.length > media ? 'init + ' : '';
  return `${init}${media} media segment${media === 1 ? '' : 's'}`;
}

const range = (start: number, size: number) => `${start}-${start + size - 1}`;

/**
 * Writes the dump of a representation's init and media segments, in order,
 * to `path` (atomically: the `.dump` appears once complete). Text: a first
 * `# representation` line, then each segment's dump under a line
 * `# segment 3 chunk-0-00003.m4s bytes 0-41442 (41443 bytes), representation bytes 91348-132790`
 * (`--offsets` offsets count from the segment's first byte), a damaged
 * segment followed by `# error: ...`. JSON: `{ "representation", "manifest",
 * "segments": [{ "segment", "file", "file_bytes": [first, last],
 * "representation_bytes": [first, last], "boxes": <dump>, "error"? }] }`.
 */
export async function dumpRepresentation(
  path: string,
  about: { id: string; manifest: string },
  segments: readonly MeasuredSegment[],
  options: DumpOptions,
  onSegment?: () => void,
): Promise<RepresentationDump> {
  const json = options.format === 'json';
  return withAtomicFile(path, async (part) => {
    const stream = createWriteStream(part);
    const sink = createTextSink(stream);
    const result: RepresentationDump = { boxes: 0, errors: [] };
    try {
      const total = segments.reduce((sum, segment) => sum + segment.size, 0);
      await sink.write(
        json
          ? `{ "representation": ${JSON.stringify(about.id)}, "manifest": ${JSON.stringify(about.manifest)}, "segments": [\n`
          : `# representation ${about.id} of ${about.manifest}: ${describeCount(segments)}, ${total} bytes\n`,
      );
      for (const [index, segment] of segments.entries()) {
        const fileBytes = [segment.start, segment.start + segment.size - 1];
        const representationBytes = [
          segment.representationOffset,
          segment.representationOffset + segment.size - 1,
        ];
        await sink.write(
          json
            ? `${index === 0 ? '' : ',\n'}{ "segment": ${JSON.stringify(segment.kind === 'init' ? 'init' : segment.number)}, ` +
                `"file": ${JSON.stringify(segment.name)}, "file_bytes": ${JSON.stringify(fileBytes)}, ` +
                `"representation_bytes": ${JSON.stringify(representationBytes)}, "boxes":\n`
            : `# ${segmentLabel(segment)} ${segment.name} bytes ${range(segment.start, segment.size)} (${segment.size} bytes), ` +
                `representation bytes ${range(segment.representationOffset, segment.size)}\n`,
        );
        const file = await openFileSource(segment.path, { blocking: true });
        try {
          const dumped = await dumpSource(
            sliceSource(file, segment.start, segment.size),
            sink.write,
            options,
          );
          result.boxes += dumped.boxes;
          const { error } = dumped;
          if (error) result.errors.push({ segment, error });
          if (json) {
            await sink.write(
              error
                ? `, "error": ${JSON.stringify({ code: error.code, message: error.message, offset: error.offset, path: error.path })} }`
                : ' }',
            );
          } else if (error) {
            await sink.write(`# error: ${error.message} [${error.code}]\n`);
          }
        } finally {
          await file.close();
        }
        onSegment?.();
      }
      if (json) await sink.write('\n] }\n');
      await sink.flush();
      stream.end();
      await finished(stream);
    } catch (error) {
      stream.destroy();
      throw error;
    }
    return result;
  });
}
