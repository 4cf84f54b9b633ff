import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileSource } from '@rec/core/node';
import { readBoxes } from '@rec/fmp4-boxes';
import { encodeTestMedia, encodeTestVideo, type TestVideoOptions } from '@rec/test-support';

/** 160x90 H.264 (ultrafast: no B-frames), a keyframe a second; the audio AAC at 64 kbit/s. */
const VIDEO = { size: '160x90', preset: 'ultrafast' } as const satisfies TestVideoOptions;
const AUDIO = { codec: 'aac', bitrate: '64k' } as const;

/**
 * DASH content as ffmpeg writes it, in `dir/<name>/manifest.mpd`:
 * `number`: SegmentTemplate `$Number%05d$`, video + audio; `timeline`:
 * SegmentTimeline with `$Time$`, video only (ffmpeg 5.1 names the first
 * audio segment by its negative priming time, not the MPD's `t="0"`);
 * `single`: `-single_file 1`, a SegmentList of `@mediaRange`s in one file
 * per Representation.
 */
export async function makeFfmpegDash(
  dir: string,
  name: 'number' | 'timeline' | 'single',
  seconds = 10,
): Promise<string> {
  const out = join(dir, name);
  await mkdir(out, { recursive: true });
  const template = ['-use_template', '1', '-init_seg_name', 'init-$RepresentationID$.m4s'];
  const addressing = {
    number: [
      ...template,
      '-use_timeline',
      '0',
      '-media_seg_name',
      'chunk-$RepresentationID$-$Number%05d$.m4s',
    ],
    timeline: [...template, '-use_timeline', '1', '-media_seg_name', 'seg-$RepresentationID$-$Time$.m4s'],
    single: ['-single_file', '1', '-use_template', '0', '-use_timeline', '0'],
  }[name];
  const manifest = join(out, 'manifest.mpd');
  const dash = { seconds, format: 'dash', outputArgs: ['-seg_duration', '2', ...addressing] };
  if (name === 'timeline') await encodeTestVideo(manifest, { ...VIDEO, ...dash });
  else await encodeTestMedia(manifest, { ...dash, video: VIDEO, audio: AUDIO });
  return out;
}

/**
 * SegmentBase with a global sidx: one fragmented MP4 (`global_sidx`, a
 * moof per second) and an MPD pointing at its init (ftyp+moov) and its
 * sidx by byte range, both read from the file's boxes.
 */
export async function makeSegmentBaseDash(dir: string, seconds = 6): Promise<string> {
  const out = join(dir, 'base');
  await mkdir(join(out, 'media'), { recursive: true });
  const file = join(out, 'media', 'video.mp4');
  await encodeTestVideo(file, {
    ...VIDEO,
    seconds,
    format: 'mp4',
    outputArgs: ['-movflags', '+frag_keyframe+empty_moov+global_sidx+default_base_moof'],
  });
  // The first moov and sidx at the top level, from their headers (no moof or mdat read).
  const boxes: Record<string, { offset: number; size: number }> = {};
  const source = await openFileSource(file);
  try {
    for await (const box of readBoxes(source, { maxDepth: 0 })) {
      boxes[box.type] ??= box;
      if (boxes.moov && boxes.sidx) break;
    }
  } finally {
    await source.close();
  }
  const moov = boxes.moov as { offset: number; size: number };
  const sidx = boxes.sidx as { offset: number; size: number };
  await writeFile(
    join(out, 'manifest.mpd'),
    `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" type="static" mediaPresentationDuration="PT${seconds}S" minBufferTime="PT2S">
  <Period id="p0">
    <AdaptationSet contentType="video" mimeType="video/mp4" codecs="avc1.42c00b">
      <Representation id="v" bandwidth="300000" width="160" height="90">
        <BaseURL>media/video.mp4</BaseURL>
        <SegmentBase indexRange="${sidx.offset}-${sidx.offset + sidx.size - 1}">
          <Initialization range="0-${moov.offset + moov.size - 1}"/>
        </SegmentBase>
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
`,
  );
  return out;
}

/** Every file under `dir`, relative, `/`-separated, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}
