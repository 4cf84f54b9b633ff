import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTestAudio, makeAudioSegments, makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MuxError, readWavInfo } from '../src/index.js';
import { constantPcm16, wavBytes } from './helpers/wavBytes.js';

describe('readWavInfo', () => {
  let dir: TempDir;
  const file = (name: string) => join(dir.path, name);
  const write = async (name: string, bytes: Uint8Array) => {
    await writeFile(file(name), bytes);
    return file(name);
  };
  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-wav-');
  });
  afterAll(() => dir.remove());

  it('reads a canonical 44-byte header', async () => {
    const path = await write('plain.wav', wavBytes({ sampleRate: 8000, data: constantPcm16(800, 7) }));
    const info = await readWavInfo(path);
    expect(info.dataOffset).toBe(44);
    expect(info.dataBytes).toBe(1600);
    expect(info.frames).toBe(800);
    expect(info.durationSeconds).toBe(0.1);
    expect(info.format).toEqual({
      formatTag: 1,
      sampleRate: 8000,
      channels: 1,
      bitsPerSample: 16,
      blockAlign: 2,
      validBitsPerSample: 16,
      channelMask: 0,
    });
    expect(info.warnings).toEqual([]);
  });

  it('reads the 78-byte header ffmpeg writes (LIST chunk before data)', async () => {
    const made = await makeAudioSegments({
      dir: dir.path,
      startEpoch: 1000,
      count: 1,
      sampleRate: 48_000,
      channels: 2,
    });
    const info = await readWavInfo(made.files[0] as string);
    expect(info.dataOffset).toBe(78);
    expect(info.format.sampleRate).toBe(48_000);
    expect(info.format.channels).toBe(2);
    expect(info.format.blockAlign).toBe(4);
    expect(info.frames).toBe(96_000); // 2 s
    expect(info.fileSize).toBe(78 + 96_000 * 4);
  });

  it('skips odd-sized chunks with their pad byte', async () => {
    const path = await write(
      'odd.wav',
      wavBytes({ extraChunks: [['junk', Uint8Array.of(1, 2, 3)]], data: constantPcm16(10, 1) }),
    );
    const info = await readWavInfo(path);
    // 12 (RIFF) + 24 (fmt) + 8 + 3 + 1 pad (junk) + 8 (data header)
    expect(info.dataOffset).toBe(56);
    expect(info.frames).toBe(10);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with the PCM subformat (hand-built and ffmpeg 6-channel)', async () => {
    const path = await write(
      'ext.wav',
      wavBytes({ formatTag: 0xfffe, channels: 2, bitsPerSample: 24, data: new Uint8Array(60) }),
    );
    const info = await readWavInfo(path);
    expect(info.format.formatTag).toBe(0xfffe);
    expect(info.format.blockAlign).toBe(6);
    expect(info.format.channelMask).toBe(3);
    expect(info.frames).toBe(10);

    const six = await encodeTestAudio(file('six.wav'), { seconds: 0.5, sampleRate: 8000, channels: 6 });
    const sixInfo = await readWavInfo(six);
    expect(sixInfo.format.formatTag).toBe(0xfffe);
    expect(sixInfo.format.channels).toBe(6);
    expect(sixInfo.frames).toBe(4000);
  });

  it('rejects IEEE float (tag 3 from ffmpeg, and EXTENSIBLE float) with WAV_INVALID naming the file', async () => {
    const float = await encodeTestAudio(file('float.wav'), {
      seconds: 0.1,
      sampleRate: 8000,
      codec: 'pcm_f32le',
    });
    await expect(readWavInfo(float)).rejects.toMatchObject({
      name: 'MuxError',
      code: 'WAV_INVALID',
      file: float,
      message: expect.stringMatching(/float\.wav.*IEEE float/),
    });
    const extFloat = await write(
      'ext-float.wav',
      wavBytes({ formatTag: 0xfffe, bitsPerSample: 32, subFormat: 3, data: new Uint8Array(8) }),
    );
    await expect(readWavInfo(extFloat)).rejects.toThrow(/ext-float\.wav.*EXTENSIBLE with IEEE float/);
  });

  it('rejects sample rates no PCM source has (a mutated 2 GHz header would plan gigabytes of silence)', async () => {
    for (const sampleRate of [0, 768_001, 2_000_000_000]) {
      const path = await write(`rate-${sampleRate}.wav`, wavBytes({ sampleRate, data: constantPcm16(8, 1) }));
      const failure = readWavInfo(path, { name: 'cam/00/audio/1700000000.wav' });
      await expect(failure).rejects.toMatchObject({ code: 'WAV_INVALID' });
      await expect(failure).rejects.toThrow(`nSamplesPerSec is ${sampleRate}, expected 1 to 768000`);
    }
    const highest = await write(
      'rate-768000.wav',
      wavBytes({ sampleRate: 768_000, data: constantPcm16(768, 1) }),
    );
    expect((await readWavInfo(highest)).durationSeconds).toBe(0.001);
  });

  it('rejects non-WAV files and files without data', async () => {
    const notRiff = await write('text.wav', new TextEncoder().encode('hello, this is not a wav file'));
    await expect(readWavInfo(notRiff)).rejects.toBeInstanceOf(MuxError);
    await expect(readWavInfo(notRiff)).rejects.toThrow(/not a RIFF file/);
    const full = wavBytes({ data: new Uint8Array(0) });
    const noData = await write('nodata.wav', full.subarray(0, 36)); // RIFF + fmt, no data chunk
    await expect(readWavInfo(noData)).rejects.toThrow(/no "data" chunk/);
  });

  it('takes what exists of truncated data, with a warning', async () => {
    const bytes = wavBytes({ data: constantPcm16(100, 3) }); // declares 200 bytes
    const path = await write('truncated.wav', bytes.subarray(0, 44 + 151)); // 75.5 frames on disk
    const info = await readWavInfo(path);
    expect(info.declaredDataBytes).toBe(200);
    expect(info.dataBytes).toBe(150);
    expect(info.frames).toBe(75);
    expect(info.missingBytes).toBe(49);
    expect(info.warnings.map((w) => w.code)).toEqual(['WAV_TRUNCATED', 'WAV_PARTIAL_FRAME']);
  });

  it('tells RIFF chunks after the data (a LIST) from samples the data size does not claim', async () => {
    // LIST chunk after the samples: ckID, ckSize 4 + 6, "INFO", 6 body bytes.
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.of(10, 0, 0, 0), Buffer.from('INFOabcdef')]);
    const listed = await write(
      'list-after.wav',
      Buffer.concat([wavBytes({ data: constantPcm16(50, 1) }), list]),
    );
    const withList = await readWavInfo(listed, { name: 'cam/1.wav' });
    expect([withList.frames, withList.excessBytes, withList.warnings]).toEqual([50, 0, []]);

    // The data size says 50 frames; 50 more follow it.
    const more = await write('more.wav', wavBytes({ data: constantPcm16(100, 1), declaredDataSize: 100 }));
    const info = await readWavInfo(more, { name: 'cam/2.wav' });
    expect([info.frames, info.excessBytes]).toEqual([50, 100]);
    expect(info.warnings).toEqual([
      {
        code: 'WAV_EXCESS_DATA',
        message:
          'cam/2.wav: data chunk announces 100 bytes (0.006 s) but 100 more bytes (0.006 s) follow it that are no RIFF chunk; ignored',
        count: 1,
        source: 'cam/2.wav',
      },
    ]);
  });

  it("names the file as the caller does, and never prints a garbage file's control bytes", async () => {
    const junk = await write('junk.wav', Uint8Array.of(0, 0x1b, 0x5b, 0x32, 0x4a, 1, 2, 3, 4, 5, 6, 7, 8));
    await expect(readWavInfo(junk, { name: 'cam/00/audio/1000.wav' })).rejects.toMatchObject({
      code: 'WAV_INVALID',
      file: junk,
      message: 'cam/00/audio/1000.wav: not a RIFF file (starts with 0x00 0x1b 0x5b 0x32)',
    });
  });

  it.each([0, 0xffffffff])(
    'reads data size %i (streaming writer) to the end of the file',
    async (declared) => {
      const path = await write(
        `stream-${declared}.wav`,
        wavBytes({ data: constantPcm16(40, 5), declaredDataSize: declared }),
      );
      const info = await readWavInfo(path);
      expect(info.frames).toBe(40);
      expect(info.warnings.map((w) => w.code)).toEqual(['WAV_SIZE_UNSET']);
    },
  );
});
