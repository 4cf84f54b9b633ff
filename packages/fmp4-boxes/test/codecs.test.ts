/**
 * Codec configuration and protection boxes of files ffmpeg makes here, each
 * checked against what ffprobe reads from the same file (or against the
 * other boxes ffmpeg wrote: saio points into senc), and written back to the
 * same bytes. A codec whose encoder this ffmpeg lacks is skipped.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ffmpegPath,
  ffprobeJson,
  makeTempDir,
  runFfmpeg,
  type TempDir,
  testAudioInput,
  testVideoInput,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlacSpecificBox,
  type Box,
  type DecoderConfigDescriptor,
  type EsDescriptor,
  findBox,
  findBoxes,
  listFragmentSamples,
  listSamples,
  parseBoxes,
  type SampleEncryptionBox,
  type TrackHeaderBox,
} from '../src/index.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

interface Stream {
  codec_name: string;
  codec_tag_string: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  bits_per_raw_sample?: string;
  bit_rate?: string;
  color_primaries?: string;
  color_transfer?: string;
  color_space?: string;
  nb_frames?: string;
}

// Each the last input of its command: their `-t` (and `-pix_fmt`) are output options.
const VIDEO = testVideoInput({ seconds: 0.5, size: '160x120' });
const AUDIO = testAudioInput({ frequency: 1000, seconds: 0.5 });
const STSD = 'moov/trak/mdia/minf/stbl/stsd';

let temp: TempDir;
let encoders = '';
beforeAll(async () => {
  temp = await makeTempDir('fmp4-boxes-codecs-');
  encoders = (await promisify(execFile)(ffmpegPath(), ['-hide_banner', '-encoders'])).stdout;
});
afterAll(() => temp?.remove());

/** Makes `name` with ffmpeg, returns its boxes and ffprobe's first stream. */
async function make(name: string, args: string[]): Promise<{ boxes: Box[]; stream: Stream; file: string }> {
  const file = join(temp.path, name);
  await runFfmpeg(['-v', 'error', ...args, file]);
  const bytes = new Uint8Array(await readFile(file));
  const boxes = parseBoxes(bytes);
  expectRoundTrip(bytes);
  const { streams } = await ffprobeJson<{ streams: Stream[] }>(file, ['-show_streams']);
  return { boxes, stream: streams[0]!, file };
}

const has = (encoder: string) => new RegExp(`^ \\S+ ${encoder} `, 'm').test(encoders);

describe('video configuration records', () => {
  it('hev1 + hvcC (libx265): profile, level, parameter set arrays, size', async (context) => {
    if (!has('libx265')) return context.skip();
    const { boxes, stream } = await make('hevc.mp4', [
      ...VIDEO,
      '-c:v',
      'libx265',
      '-x265-params',
      'log-level=error',
    ]);
    const entry = findBox(boxes, `${STSD}/${stream.codec_tag_string}`) as Box & {
      width: number;
      height: number;
    };
    const hvcC = findBox(entry, 'hvcC')!;
    expect([entry.width, entry.height]).toEqual([stream.width, stream.height]);
    expect(hvcC.generalProfile).toBe(1); // ffprobe: Main
    expect(stream.profile).toBe('Main');
    expect(hvcC.generalLevel).toBe(stream.level);
    const types = hvcC.sequences.map((s) => s.naluType);
    expect(types.slice(0, 3)).toEqual([32, 33, 34]); // VPS, SPS, PPS (x265 adds an SEI array)
    for (const array of hvcC.sequences) {
      for (const nalu of array.nalus) expect((nalu[0]! >> 1) & 0x3f).toBe(array.naluType); // each NAL header says so too
    }
    expect(hvcC.naluLengthSize).toBe(4);
    expect([hvcC.lumaBitDepth, hvcC.chromaFormat]).toEqual([8, 1]);
  });

  it('av01 + av1C (libaom-av1): profile, level, chroma subsampling', async (context) => {
    if (!has('libaom-av1')) return context.skip();
    const { boxes, stream } = await make('av1.mp4', [...VIDEO, '-c:v', 'libaom-av1', '-cpu-used', '8']);
    const av1C = findBox(boxes, `${STSD}/av01/av1C`)!;
    expect(stream.codec_name).toBe('av1');
    expect([av1C.marker, av1C.version]).toEqual([1, 1]);
    expect(av1C.seqProfile).toBe(0); // ffprobe: Main
    expect(stream.profile).toBe('Main');
    expect(av1C.seqLevelIdx0).toBe(stream.level);
    expect([av1C.chromaSubsamplingX, av1C.chromaSubsamplingY, av1C.highBitDepth]).toEqual([1, 1, 0]); // yuv420p
    expect(av1C.configObus[0]! >> 3).toBe(1); // obu_type 1: the sequence header
  });

  it('vp09 + vpcC (libvpx-vp9): profile, bit depth, colour code points', async (context) => {
    if (!has('libvpx-vp9')) return context.skip();
    const { boxes, stream } = await make('vp9.mp4', [
      ...VIDEO,
      '-c:v',
      'libvpx-vp9',
      '-deadline',
      'realtime',
    ]);
    const vpcC = findBox(boxes, `${STSD}/vp09/vpcC`)!;
    expect(stream.codec_name).toBe('vp9');
    expect(stream.profile).toBe(`Profile ${vpcC.profile}`);
    expect([vpcC.version, vpcC.bitDepth, vpcC.chromaSubsampling]).toEqual([1, 8, 1]);
    expect([vpcC.colourPrimaries, vpcC.transferCharacteristics, vpcC.matrixCoefficients]).toEqual([2, 2, 2]); // unspecified
  });

  it('colr nclx from the colour options', async () => {
    const { boxes, stream } = await make('colr.mp4', [
      ...VIDEO,
      '-c:v',
      'libx264',
      '-color_primaries',
      'bt709',
      '-color_trc',
      'bt709',
      '-colorspace',
      'bt709',
    ]);
    const colr = findBox(boxes, `${STSD}/avc1/colr`)!;
    expect([stream.color_primaries, stream.color_transfer, stream.color_space]).toEqual([
      'bt709',
      'bt709',
      'bt709',
    ]);
    expect(colr).toMatchObject({
      colourType: 'nclx',
      colourPrimaries: 1, // BT.709 in ISO/IEC 23091-2
      transferCharacteristics: 1,
      matrixCoefficients: 1,
      fullRangeFlag: 0,
    });
  });
});

describe('audio configuration records', () => {
  it('ac-3 + dac3: sample rate, channel mode, bit rate code', async () => {
    const { boxes, stream } = await make('ac3.mp4', [...AUDIO, '-ac', '2', '-c:a', 'ac3', '-b:a', '192k']);
    const dac3 = findBox(boxes, `${STSD}/ac-3/dac3`)!;
    expect([stream.codec_name, stream.sample_rate, stream.channels, stream.bit_rate]).toEqual([
      'ac3',
      '48000',
      2,
      '192000',
    ]);
    expect(dac3).toMatchObject({ fscod: 0, acmod: 2, lfeon: 0, bitRateCode: 10 }); // 48 kHz, 2/0, 192 kbit/s (Table F.4.1)
  });

  it('ec-3 + dec3: data rate and substream', async () => {
    const { boxes, stream } = await make('eac3.mp4', [...AUDIO, '-ac', '2', '-c:a', 'eac3', '-b:a', '128k']);
    const dec3 = findBox(boxes, `${STSD}/ec-3/dec3`)!;
    expect(stream.codec_name).toBe('eac3');
    expect(dec3.dataRate * 1000).toBe(Number(stream.bit_rate));
    expect(dec3.subStreams).toMatchObject([{ fscod: 0, bsid: 16, acmod: 2, lfeon: 0, numDepSub: 0 }]);
  });

  it('fLaC + dfLa: STREAMINFO against ffprobe', async () => {
    const { boxes, stream } = await make('flac.mp4', [...AUDIO, '-c:a', 'flac', '-strict', '-2']);
    const dfLa = findBox(boxes, `${STSD}/fLaC/dfLa`)!;
    expect(stream.codec_name).toBe('flac');
    expect(dfLa.streamInfo).toMatchObject({
      sampleRate: Number(stream.sample_rate),
      channels: stream.channels,
      bitsPerSample: 16,
      totalSamples: 24000, // 0.5 s at 48 kHz
    });
    expect(dfLa.blocks.at(-1)!.last).toBe(true);
  });

  it('alac + its magic cookie', async () => {
    const { boxes, stream } = await make('alac.m4a', [...AUDIO, '-c:a', 'alac']);
    const cookie = findBox(boxes, `${STSD}/alac/alac`) as AlacSpecificBox;
    expect(stream.codec_name).toBe('alac');
    expect([cookie.sampleRate, cookie.numChannels, cookie.bitDepth]).toEqual([48000, stream.channels, 16]);
  });

  it('MP3 in mp4a: object type 0x6b in the DecoderConfigDescriptor', async (context) => {
    if (!has('libmp3lame')) return context.skip();
    const { boxes, stream } = await make('mp3.mp4', [...AUDIO, '-c:a', 'libmp3lame']);
    const esds = findBox(boxes, `${STSD}/mp4a/esds`)!;
    const config = (esds.descriptors[0] as EsDescriptor).subDescriptors[0] as DecoderConfigDescriptor;
    expect(stream.codec_name).toBe('mp3');
    expect([config.objectTypeIndication, config.streamType]).toEqual([0x6b, 5]);
  });
});

describe('other sample entries', () => {
  it('tx3g (mov_text subtitles)', async () => {
    const srt = join(temp.path, 'subtitles.srt');
    await import('node:fs/promises').then(({ writeFile }) =>
      writeFile(srt, '1\n00:00:00,000 --> 00:00:00,400\nhello\n'),
    );
    const file = join(temp.path, 'subtitles.mp4');
    await runFfmpeg([
      ...['-v', 'error', '-i', srt, ...VIDEO, '-map', '1:v', '-map', '0:s'],
      ...['-c:v', 'libx264', '-c:s', 'mov_text', file],
    ]);
    const bytes = new Uint8Array(await readFile(file));
    expectRoundTrip(bytes);
    const boxes = parseBoxes(bytes);
    const trak = findBoxes(boxes, 'moov/trak')[1]!;
    expect(findBox(trak, 'mdia/hdlr')!.handlerType).toBe('sbtl');
    const tx3g = findBox(trak, 'mdia/minf/stbl/stsd/tx3g')!;
    expect(tx3g).toMatchObject({ dataReferenceIndex: 1, defaultStyle: { fontId: 1 } });
    const { streams } = await ffprobeJson<{ streams: Stream[] }>(file, ['-show_streams']);
    expect(streams[1]!.codec_name).toBe('mov_text');
    const tkhd = findBox(trak, 'tkhd') as TrackHeaderBox;
    expect([...listSamples(boxes, tkhd.trackId)].length).toBeGreaterThan(0);
  });
});

describe('common encryption (ffmpeg -encryption_scheme cenc-aes-ctr)', () => {
  const KID = '0123456789abcdef0123456789abcdef';

  it("encv/sinf/frma/schm/tenc, and senc read with tenc's IV size, where saio says", async () => {
    const { boxes, file } = await make('encrypted.mp4', [
      ...VIDEO,
      '-c:v',
      'libx264',
      '-encryption_scheme',
      'cenc-aes-ctr',
      '-encryption_key',
      '00112233445566778899aabbccddeeff',
      '-encryption_kid',
      KID,
    ]);
    const encv = findBox(boxes, `${STSD}/encv`)!;
    expect(findBox(encv, 'sinf/frma')!.originalFormat).toBe('avc1');
    expect(findBox(encv, 'sinf/schm')).toMatchObject({ schemeType: 'cenc', schemeVersion: 0x10000 });
    expect(findBox(encv, 'sinf/schi/tenc')).toMatchObject({
      defaultIsProtected: 1,
      defaultPerSampleIvSize: 8,
      defaultKid: KID,
    });

    const stbl = findBox(boxes, 'moov/trak/mdia/minf/stbl')!;
    const senc = findBox(stbl, 'senc') as SampleEncryptionBox;
    const saiz = findBox(stbl, 'saiz')!;
    const saio = findBox(stbl, 'saio')!;
    const samples = [...listSamples(boxes, 1)];
    expect(senc).toMatchObject({ sampleCount: samples.length, ivSize: 8, ivSizeFrom: 'tenc' });
    // Each sample's auxiliary information is its IV and subsample table: saiz gives the sizes...
    const sizes = senc.samples!.map((s) => 8 + 2 + 6 * s.subsamples!.length);
    expect([...saiz.entries]).toEqual(sizes);
    // ...saio where they start (the first IV, after senc's version/flags and sample_count)...
    expect(saio.entries[0]).toBe(senc.offset + senc.headerSize + 8);
    // ...and the subsamples cover each sample exactly.
    senc.samples!.forEach((s, i) => {
      const covered = s.subsamples!.reduce(
        (t, sub) => t + sub.bytesOfClearData + sub.bytesOfProtectedData,
        0,
      );
      expect(covered).toBe(samples[i]!.size);
    });
    const { packets } = await ffprobeJson<{ packets: unknown[] }>(file, [
      '-decryption_key',
      '00112233445566778899aabbccddeeff',
      '-show_packets',
    ]);
    expect(packets.length).toBe(samples.length);

    // Alone, without the tenc it needs, senc guesses the IV size that fills it: the same.
    const bytes = new Uint8Array(await readFile(file));
    const [alone] = parseBoxes(bytes.subarray(senc.offset, senc.offset + senc.size), { offset: senc.offset });
    expect(alone).toMatchObject({ ivSize: 8, ivSizeFrom: 'guess', samples: senc.samples });
  });
});

describe('DASH boxes (ffmpeg -f dash)', () => {
  it("prft (-write_prft with a UTC timing URL) against the segment's tfdt", async () => {
    const dir = join(temp.path, 'dash');
    await import('node:fs/promises').then(({ mkdir }) => mkdir(dir));
    await runFfmpeg([
      '-v',
      'error',
      ...testVideoInput({ seconds: 2, size: '160x120' }),
      '-c:v',
      'libx264',
      '-f',
      'dash',
      '-ldash',
      '1',
      '-streaming',
      '1',
      '-write_prft',
      '1',
      '-utc_timing_url',
      'https://time.example/?iso',
      '-seg_duration',
      '1',
      join(dir, 'out.mpd'),
    ]);
    const init = parseBoxes(new Uint8Array(await readFile(join(dir, 'init-stream0.m4s'))));
    const segment = new Uint8Array(await readFile(join(dir, 'chunk-stream0-00001.m4s')));
    expectRoundTrip(segment);
    const boxes = parseBoxes(segment);
    const prfts = findBoxes(boxes, 'prft');
    const moofs = findBoxes(boxes, 'moof');
    expect(prfts.length).toBeGreaterThan(1);
    expect(prfts.length).toBe(moofs.length);
    // ffmpeg writes the first frame's presentation time on the edited timeline: cts minus the edit's media_time.
    const shift = Number(findBox(init, 'moov/trak/edts/elst')!.entries[0]!.mediaTime);
    prfts.forEach((prft, i) => {
      const [first] = listFragmentSamples(moofs[i]!);
      expect(prft.referenceTrackId).toBe(1);
      expect(prft.mediaTime).toBe(first!.cts - shift);
      const seconds = Number(BigInt(prft.ntpTimestamp) >> 32n) - 2208988800; // NTP epoch 1900 -> Unix
      expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(600);
    });
  });
});
