/**
 * Makes camera-like segments with ffmpeg (libx264/libx265 + PCM WAV) in the
 * legacy layout `<out>/<prefix>/00/video/<epoch>.h264` and `.../00/audio/<epoch>.wav`.
 *
 *   pnpm fixtures [--out DIR] [--prefix recordings/cam01] [--start EPOCH] [--seconds N]
 *                 [--segment 2] [--bframes 2] [--codec h264|hevc] [--size 320x180] [--fps 25]
 *                 [--rate 8000] [--channels 1] [--skip EPOCH,...]
 *
 * With no arguments it rebuilds the committed demo set under fixtures/demo.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { makeAudioSegments, makeVideoSegments } from '@rec/test-support';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'fixtures/demo' },
    prefix: { type: 'string', default: 'recordings/cam01' },
    start: { type: 'string', default: '1700000000' },
    seconds: { type: 'string', default: '60' },
    segment: { type: 'string', default: '2' },
    bframes: { type: 'string', default: '2' },
    codec: { type: 'string', default: 'h264' },
    size: { type: 'string', default: '256x144' },
    fps: { type: 'string', default: '25' },
    crf: { type: 'string', default: '38' },
    rate: { type: 'string', default: '8000' },
    channels: { type: 'string', default: '1' },
    skip: { type: 'string', default: '1700000020' },
    clean: { type: 'boolean', default: true },
  },
});

const segmentSeconds = Number(values.segment);
const count = Math.round(Number(values.seconds) / segmentSeconds);
const [width, height] = values.size.split('x').map(Number);
const skip = values.skip ? values.skip.split(',').map(Number) : [];
const common = {
  dir: values.out,
  camera: values.prefix,
  startEpoch: Number(values.start),
  count,
  segmentSeconds,
  skip,
};

if (values.clean) await rm(`${values.out}/${values.prefix}`, { recursive: true, force: true });
const video = await makeVideoSegments({
  ...common,
  codec: values.codec === 'hevc' ? 'hevc' : 'h264',
  bframes: Number(values.bframes),
  fps: Number(values.fps),
  width,
  height,
  crf: Number(values.crf),
});
const audio = await makeAudioSegments({
  ...common,
  sampleRate: Number(values.rate),
  channels: Number(values.channels),
});
console.log(
  `fixtures: ${video.files.length} video + ${audio.files.length} audio segments of ${segmentSeconds}s, ` +
    `epochs ${values.start}..${Number(values.start) + (count - 1) * segmentSeconds} (skipped ${skip.join(',') || 'none'}) ` +
    `under ${values.out}/${values.prefix}/00/`,
);
