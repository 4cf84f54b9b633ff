import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePcm16,
  encodeTestAudio,
  encodeTestMedia,
  encodeTestVideo,
  makeTempDir,
  probe,
  probeFrames,
  type TempDir,
  testAudioEncoder,
  testMediaInput,
  testVideoEncoder,
} from '../src/index.js';

describe('test encodes', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => dir.remove());

  it('encode raw HEVC with the GOP, B-frames and AUDs asked for', async () => {
    const file = await encodeTestVideo(join(dir.path, 'v.h265'), {
      codec: 'hevc',
      size: '160x90',
      seconds: 1,
      gop: 10,
      bframes: 2,
      aud: true,
      format: 'hevc',
    });
    const frames = await probeFrames(file);
    expect(frames).toHaveLength(25);
    expect(frames.flatMap((frame, i) => (frame.key_frame ? [i] : []))).toEqual([0, 10, 20]);
    expect(frames.some((frame) => frame.pict_type === 'B')).toBe(true);
    // AUD: nal_unit_type 35, so the first header byte is 35 << 1 (ITU-T H.265 7.3.1.2).
    expect((await readFile(file)).includes(Buffer.from([0, 0, 1, 0x46]))).toBe(true);
  });

  it('name the same x264 options as the fixtures always did', () => {
    expect(testVideoEncoder({ gop: 50, bframes: 3, repeatHeaders: true, crf: 28 })).toEqual([
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-x264-params'],
      'keyint=50:min-keyint=50:scenecut=0:bframes=3:b-pyramid=normal:open-gop=0:repeat-headers=1',
      ...['-crf', '28'],
    ]);
    expect(testVideoEncoder({ bframes: 3, slices: 4 })[5]).toBe(
      'keyint=25:min-keyint=25:scenecut=0:bframes=3:b-pyramid=normal:open-gop=0:slices=4',
    );
    // bench/es-ts's input: another preset, a bit rate, a parameter of x264's own.
    expect(
      testVideoEncoder({ preset: 'ultrafast', bitrate: '8M', bframes: 3, gop: 50, params: ['b-adapt=0'] }),
    ).toEqual([
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-x264-params'],
      'keyint=50:min-keyint=50:scenecut=0:bframes=3:b-pyramid=normal:open-gop=0:b-adapt=0',
      ...['-b:v', '8M'],
    ]);
  });

  it('encode at the bit rate asked for', async () => {
    const file = await encodeTestVideo(join(dir.path, 'rate.h264'), { bitrate: '100k', format: 'h264' });
    const bitsPerSecond = ((await readFile(file)).length * 8) / 2;
    // 2 s of 320x180 at 100 kbit/s (111 kbit/s measured; CRF 23, the default, made 269).
    expect(bitsPerSecond).toBeGreaterThan(80_000);
    expect(bitsPerSecond).toBeLessThan(130_000);
  });

  it('encode a tone as ADTS and an expression as WAV', async () => {
    const aac = await encodeTestAudio(join(dir.path, 'a.aac'), {
      seconds: 1,
      sampleRate: 44_100,
      channels: 2,
      codec: 'aac',
      format: 'adts',
    });
    expect((await probe(aac)).streams[0]).toMatchObject({
      codec_name: 'aac',
      sample_rate: '44100',
      channels: 2,
    });
    const wav = await encodeTestAudio(join(dir.path, 'e.wav'), {
      seconds: 0.5,
      sampleRate: 8000,
      expression: 'sin(440*2*PI*t)',
    });
    const { streams, format } = await probe(wav);
    expect(streams[0]).toMatchObject({ codec_name: 'pcm_s16le', sample_rate: '8000', channels: 1 });
    expect(Number(format.duration)).toBe(0.5);
  });

  it('encode a tone per channel, decoded back as interleaved samples', async () => {
    const wav = await encodeTestAudio(join(dir.path, 'tones.wav'), {
      seconds: 0.5,
      sampleRate: 8000,
      channelTones: [{ frequency: 500 }, { frequency: 1000, beepFactor: 2 }],
    });
    expect((await probe(wav)).streams[0]).toMatchObject({ channels: 2, sample_rate: '8000' });
    const samples = await decodePcm16(wav, { channels: 2 });
    expect(samples).toHaveLength(0.5 * 8000 * 2);
    /** Sign changes in one channel of the interleaved samples: two per period of its tone. */
    const crossings = (channel: number) => {
      let count = 0;
      for (let i = channel + 2; i < samples.length; i += 2) {
        if (samples[i - 2]! < 0 !== samples[i]! < 0) count++;
      }
      return count;
    };
    expect(Math.abs(crossings(0) - 500)).toBeLessThanOrEqual(2); // 500 Hz for 0.5 s
    expect(crossings(1)).toBeGreaterThan(990); // 1000 Hz, and 2000 Hz in its beep
    expect(await decodePcm16(wav)).toHaveLength(0.5 * 8000); // downmixed to mono by default
  });

  it('encode a video and a tone of the same length into one file, each with its options', async () => {
    const mp4 = await encodeTestMedia(join(dir.path, 'av.mp4'), {
      seconds: 1,
      video: { size: '160x90', preset: 'ultrafast' },
      audio: { frequency: 1000, channels: 2, codec: 'aac', bitrate: '64k' },
    });
    const { streams } = await probe(mp4, { countFrames: true });
    expect(streams.map(({ codec_name, codec_type }) => [codec_type, codec_name])).toEqual([
      ['video', 'h264'],
      ['audio', 'aac'],
    ]);
    expect(streams[0]).toMatchObject({ width: 160, height: 90, nb_read_frames: '25' });
    expect(streams[1]).toMatchObject({ sample_rate: '48000', channels: 2 });
    expect(Number(streams[1]?.duration)).toBeCloseTo(1, 1);
    // ultrafast: no B-frames; one keyframe a second.
    expect((await probeFrames(mp4)).map((frame) => frame.pict_type).join('')).toBe(`I${'P'.repeat(24)}`);
  });

  it('place -t and -pix_fmt after both inputs, where they are output options', () => {
    expect(testMediaInput({ seconds: 3, audio: { beepFactor: 4 } })).toEqual([
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:beep_factor=4:sample_rate=48000'],
      ...['-t', '3', '-pix_fmt', 'yuv420p'],
    ]);
    expect(testAudioEncoder({ codec: 'aac', bitrate: '128k', channels: 2 })).toEqual([
      '-ac',
      '2',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
    ]);
  });
});
