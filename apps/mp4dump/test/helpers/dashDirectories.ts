import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTestMedia } from '@rec/test-support';

/** Seconds of content in every DASH directory made here. */
export const DASH_SECONDS = 4;

/**
 * A DASH directory as ffmpeg's `dash` muxer writes it, 4 s of 1-s
 * segments: two H.264 video Representations (ids 0: 320x180, 1: 160x90)
 * in one AdaptationSet, one AAC audio (id 2) in another, and a VP8 one
 * (id 3) in a third, which `-dash_segment_type auto` writes as WebM (the
 * non-fMP4 Representation mp4dump must skip). `template`: SegmentTemplate
 * with `@duration` and `$Number%05d$`; `timeline`: a SegmentTimeline and
 * `$Time$` file names.
 */
export async function makeDashDirectory(dir: string, addressing: 'template' | 'timeline'): Promise<void> {
  const names =
    addressing === 'timeline'
      ? [
          ...['-use_timeline', '1', '-media_seg_name', 'chunk-$RepresentationID$-$Time$.$ext$'],
          // Without it ffmpeg 5.1 names the first AAC chunk by its priming time (chunk-2--1024.m4s)
          // while its MPD says S@t="0": mp4dump then rightly reports chunk-2-0.m4s missing.
          ...['-avoid_negative_ts', 'make_zero'],
        ]
      : ['-use_timeline', '0'];
  await mkdir(dir, { recursive: true });
  await encodeTestMedia(join(dir, 'manifest.mpd'), {
    seconds: DASH_SECONDS,
    video: { preset: 'ultrafast' },
    audio: { codec: 'aac', bitrate: '64k' },
    format: 'dash',
    outputArgs: [
      ...['-map', '0:v', '-map', '0:v', '-map', '1:a', '-map', '0:v'],
      ...['-b:v:0', '300k', '-s:v:1', '160x90', '-b:v:1', '100k'],
      // The third video stream: VP8 instead of the x264 every video stream gets (the later -c wins),
      // a keyframe a second as x264's.
      ...['-c:v:2', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', '25'],
      ...['-s:v:2', '160x90', '-b:v:2', '100k'],
      ...['-dash_segment_type', 'auto', '-seg_duration', '1', '-use_template', '1'],
      ...names,
      ...['-adaptation_sets', 'id=0,streams=0,1 id=1,streams=2 id=2,streams=3'],
    ],
  });
}

/** The segment files ffmpeg wrote for Representation `id` (init first, then media in name order) and their sizes. */
export async function representationFiles(
  dir: string,
  id: string,
): Promise<{ name: string; size: number }[]> {
  const names = (await readdir(dir)).filter((name) => name.startsWith(`init-stream${id}.`));
  const media = (await readdir(dir))
    .filter((name) => new RegExp(`^chunk-(stream)?${id}-\\d+\\.`).test(name))
    .sort((a, b) => numberIn(a) - numberIn(b));
  return Promise.all(
    [...names, ...media].map(async (name) => ({ name, size: (await stat(join(dir, name))).size })),
  );
}

const numberIn = (name: string) => Number(/-(\d+)\.\w+$/.exec(name)?.[1]);
