/**
 * A TS recording is written as it is muxed (issue 8): es-ts's packets go
 * through `<output>.part` chunk by chunk, never held whole in memory; the
 * bytes are those es-ts gives for the same segments.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_START_PTS, type EsSegment, muxSegments } from '@rec/es-ts';
import { makeTempDir, makeVideoSegments, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRecording } from '../src/index.js';

const E0 = 1_700_000_000;

describe('writeRecording: a TS streams into its part file', () => {
  let dir: TempDir;
  let segments: EsSegment[];

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-ts-stream-');
    const made = await makeVideoSegments({ dir: dir.path, startEpoch: E0, count: 8, bframes: 2 });
    segments = await Promise.all(
      made.files.map(async (file, i) => ({
        name: `v${i}`,
        startTime: made.epochs[i] as number,
        source: await readFile(file),
      })),
    );
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it('the part file grows while the segments are read, and holds the bytes es-ts gives', async () => {
    const output = join(dir.path, 'out.ts');
    const window = { start: E0 + 1, end: E0 + 15 };
    /** The part file's size each time the muxer asks for the next segment. */
    const sizes: number[] = [];
    async function* lazily(): AsyncGenerator<EsSegment> {
      for (const segment of segments) {
        sizes.push(
          await stat(`${output}.part`).then(
            (s) => s.size,
            () => 0,
          ),
        );
        yield segment;
      }
    }
    const written = await writeRecording({
      video: { segments: lazily(), keep: window },
      window,
      output,
      format: 'ts',
    });
    // Written while the input is read: before the last segment, most of the output is on disk.
    expect(sizes[0]).toBe(0);
    for (let i = 2; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1] as number);
    const bytes = await readFile(output);
    expect(sizes.at(-1)).toBeGreaterThan(bytes.length / 2);
    // The same bytes as es-ts alone on the same timeline, gathered in memory.
    const parts: Uint8Array[] = [];
    const es = muxSegments(segments, { origin: window.start, basePts: DEFAULT_START_PTS, keep: window });
    for await (const part of es.packets) parts.push(part);
    expect(bytes.equals(Buffer.concat(parts))).toBe(true);
    expect(written.bytes).toBe(bytes.length);
    expect(written.video?.frames).toBe((await es.result).frames);
  }, 60_000);
});
