import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ffmpegDecodeWarnings,
  frameHashes,
  makeTempDir,
  type TempDir,
  testVideoEncoder,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Codec, type EsMuxOutput, EsWarningCode, muxSegments } from '../src/index.js';
import { cutBeforeKeyframe } from './helpers/decode.js';
import { DEFAULT_SCENECUT, MIN_KEYINT_AUTO } from './helpers/encoderDefaults.js';
import { makeTruth, muxFile } from './helpers/truth.js';

// A segment that starts mid-GOP: its SPS/PPS (and VPS), then pictures that need
// an earlier keyframe, then the first IDR, which carries no parameter set of its
// own (JVT's BA_MW_D_IDR_LOST; a camera segment cut before its keyframe). The
// leading pictures are dropped; their parameter sets must still reach the
// decoder ahead of the IDR. Truth: ffmpeg decoding the same stream cut at that
// IDR, compared picture by picture (framemd5).

let tmp: TempDir;
beforeAll(async () => {
  tmp = await makeTempDir('es-ts-midgop-');
});
afterAll(async () => {
  await tmp?.remove();
});

/** Encoder settings per codec: the mid-GOP stream, and another with other SPS/PPS (for the segment before it). */
const ENCODERS: Record<Codec, { midGop: string[]; other: string[] }> = {
  h264: {
    midGop: testVideoEncoder({ gop: 25, bframes: 3 }),
    // Baseline, CAVLC, no B-frames: an SPS and a PPS the mid-GOP stream's slices cannot be decoded with.
    other: [...testVideoEncoder({ gop: 25, params: [MIN_KEYINT_AUTO] }), '-profile:v', 'baseline'],
  },
  hevc: {
    midGop: testVideoEncoder({ codec: 'hevc', preset: 'fast', gop: 25, bframes: 3 }),
    // No wavefront (entropy_coding_sync_enabled_flag in the PPS), no SAO (in the SPS); the same B-frames,
    // so ffmpeg's decoder keeps the delay its demuxer announced (else: "video_delay is larger in decoder").
    other: testVideoEncoder({
      codec: 'hevc',
      preset: 'fast',
      gop: 25,
      bframes: 3,
      params: ['wpp=0', 'sao=0', DEFAULT_SCENECUT],
    }),
  },
};

async function writeOut(output: EsMuxOutput, file: string) {
  const parts: Uint8Array[] = [];
  for await (const p of output.packets) parts.push(p);
  await writeFile(file, Buffer.concat(parts));
  return output.result;
}

for (const codec of ['h264', 'hevc'] as const) {
  describe(`${codec} stream cut before its keyframe`, () => {
    const ext = codec === 'hevc' ? 'h265' : 'h264';
    let cut: Awaited<ReturnType<typeof cutBeforeKeyframe>>;
    /** What ffmpeg decodes from the stream cut at its first keyframe. */
    let reference: string[];
    let other: { es: string; hashes: string[] };

    beforeAll(async () => {
      const [midGop, otherTruth] = await Promise.all([
        makeTruth(tmp.path, `${codec}-midgop`, { codec, seconds: 4, encoder: ENCODERS[codec].midGop }),
        makeTruth(tmp.path, `${codec}-other`, { codec, seconds: 2, encoder: ENCODERS[codec].other }),
      ]);
      cut = await cutBeforeKeyframe(midGop.es, codec, 10);
      expect(cut.keyframeUnit).toBe(25);
      const fromKeyframe = join(tmp.path, `${codec}-from-keyframe.${ext}`);
      await writeFile(fromKeyframe, cut.fromKeyframe);
      reference = await frameHashes(fromKeyframe, codec);
      expect(reference).toHaveLength(75);
      other = { es: otherTruth.es, hashes: await frameHashes(otherTruth.es, codec) };
      expect(other.hashes).toHaveLength(50);
    });

    it('muxElementaryStream: the parameter sets go ahead of the first IDR; every picture decodes as from the IDR', async () => {
      const out = join(tmp.path, `${codec}-midgop.ours.ts`);
      const result = await muxFile(cut.midGop, out, { codec });
      expect(result.frames).toBe(75);
      expect(result.droppedLeadingFrames).toBe(15);
      expect(result.warnings).toEqual([
        expect.objectContaining({ code: EsWarningCode.LeadingFramesDropped, count: 15 }),
      ]);
      expect(await ffmpegDecodeWarnings(out)).toBe('');
      expect(await frameHashes(out)).toEqual(reference);
    });

    it('muxSegments: a mid-GOP segment between two others, with other parameter sets, decodes', async () => {
      const otherBytes = new Uint8Array(await readFile(other.es));
      const out = join(tmp.path, `${codec}-segments.ours.ts`);
      const result = await writeOut(
        muxSegments(
          [
            { name: `a.${ext}`, startTime: 100, source: otherBytes },
            // Streamed in small chunks: the parameter sets and pictures straddle chunk boundaries.
            {
              name: `b.${ext}`,
              startTime: 102,
              source: function* () {
                for (let i = 0; i < cut.midGop.length; i += 997) yield cut.midGop.subarray(i, i + 997);
              },
            },
            { name: `c.${ext}`, startTime: 105, source: otherBytes },
          ],
          { origin: 100, codec },
        ),
        out,
      );
      expect(result.segments.map((s) => [s.name, s.frames])).toEqual([
        [`a.${ext}`, 50],
        [`b.${ext}`, 75],
        [`c.${ext}`, 50],
      ]);
      expect(result.overlaps).toEqual([]);
      expect(await ffmpegDecodeWarnings(out)).toBe('');
      expect(await frameHashes(out)).toEqual([...other.hashes, ...reference, ...other.hashes]);
    });

    it('muxSegments keep: the parameter sets of the GOPs before `start` go ahead of the first keyframe kept', async () => {
      // Keyframes at 100, 101, 102 and 103 s, parameter sets only before the first: `start` 101.5 keeps the GOP of 101 s on.
      const out = join(tmp.path, `${codec}-keep.ours.ts`);
      const result = await writeOut(
        muxSegments([{ name: `w.${ext}`, startTime: 100, source: cut.whole }], {
          origin: 100,
          codec,
          keep: { start: 101.5, end: 200 },
        }),
        out,
      );
      expect(result.frames).toBe(75);
      expect(result.presentationStart).toBe(101);
      expect(await ffmpegDecodeWarnings(out)).toBe('');
      expect(await frameHashes(out)).toEqual(reference);
    });
  });
}
