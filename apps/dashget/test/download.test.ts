import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type HttpTestServer,
  makeTempDir,
  probe,
  probePackets,
  runFfmpeg,
  startHttpServer,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, makeFfmpegDash, makeSegmentBaseDash } from './helpers/dashMedia.js';
import { runDashget } from './helpers/runDashget.js';

let media: TempDir;
let work: TempDir;
let server: HttpTestServer;

beforeAll(async () => {
  media = await makeTempDir('dashget-media-');
  work = await makeTempDir('dashget-out-');
  await Promise.all([
    makeFfmpegDash(media.path, 'number'),
    makeFfmpegDash(media.path, 'timeline'),
    makeFfmpegDash(media.path, 'single'),
    makeSegmentBaseDash(media.path),
  ]);
  server = await startHttpServer({ root: media.path });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await media?.remove();
  await work?.remove();
});

/** Every file the MPD names, byte for byte as served (ffmpeg's extra audio segment past the MPD's end left aside). */
async function expectSameFiles(name: string, out: string, files: string[]): Promise<void> {
  expect(await listFiles(out)).toEqual([...files, 'manifest.mpd'].sort());
  for (const file of files) {
    const [served, saved] = await Promise.all([
      readFile(join(media.path, name, file)),
      readFile(join(out, file)),
    ]);
    expect(saved.equals(served), file).toBe(true);
  }
}

/** Plays the saved MPD with ffmpeg into MKV: its duration and video packet count. */
async function playOffline(mpd: string): Promise<{ duration: number; videoPackets: number }> {
  const mkv = `${mpd}.mkv`;
  await runFfmpeg(['-v', 'error', '-i', mpd, '-map', '0', '-c', 'copy', mkv]);
  const { format } = await probe(mkv);
  return { duration: Number(format.duration), videoPackets: (await probePackets(mkv, 'v:0')).length };
}

describe('dashget downloads ffmpeg-made DASH and the saved MPD plays offline', () => {
  it('SegmentTemplate $Number%05d$ (video + audio): identical files, 10 s offline with every segment', async () => {
    const out = join(work.path, 'number');
    const run = await runDashget(`${server.url}/number/manifest.mpd`, '-o', out, '-t', '4');
    expect(run.code, run.stderr).toBe(0);
    const files = [
      'init-0.m4s',
      'init-1.m4s',
      ...[1, 2, 3, 4, 5].flatMap((n) => [`chunk-0-0000${n}.m4s`, `chunk-1-0000${n}.m4s`]),
    ];
    await expectSameFiles('number', out, files);
    // Nothing needed rewriting: the MPD is saved as served.
    const saved = await readFile(join(out, 'manifest.mpd'));
    expect(saved.equals(await readFile(join(media.path, 'number', 'manifest.mpd')))).toBe(true);
    expect(run.stdout).toMatch(/10 segments in 12 files/);
    expect(run.stdout).toMatch(/ {2}0: 5 segments, 6 files, [\d.]+ MB, 0 skipped, 0 resumed, 0 failed/);
    const played = await playOffline(join(out, 'manifest.mpd'));
    expect(played.videoPackets).toBe(250);
    expect(played.duration).toBeCloseTo(10, 0);
  });

  it('DVB-DASH BaseURLs: the lowest @dvb:priority is fetched, not the first written; offline every BaseURL names the saved folder', async () => {
    const served = await readFile(join(media.path, 'number', 'manifest.mpd'), 'utf8');
    const dvb = served
      .replace('<MPD ', '<MPD xmlns:dvb="urn:dvb:dash:dash-extensions:2014-1" ')
      .replace(
        '<Period',
        '<BaseURL dvb:priority="2" dvb:weight="1">http://127.0.0.1:9/never/</BaseURL><BaseURL dvb:priority="1" dvb:weight="1">./</BaseURL><Period',
      );
    await writeFile(join(media.path, 'number', 'dvb.mpd'), dvb);
    const listing = await runDashget(`${server.url}/number/dvb.mpd`, '--dry-run', '--json');
    const [first] = JSON.parse(listing.stdout).periods[0].adaptationSets[0].representations[0].segments;
    expect(first.url).toBe(`${server.url}/number/chunk-0-00001.m4s`);
    const out = join(work.path, 'dvb');
    const run = await runDashget(`${server.url}/number/dvb.mpd`, '-o', out, '--json', '--retries', '0');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, files: 12, failed: [] });
    const saved = await readFile(join(out, 'dvb.mpd'), 'utf8');
    expect(saved).toContain('<BaseURL dvb:priority="2" dvb:weight="1">./</BaseURL>');
    expect(saved).toContain('<BaseURL dvb:priority="1" dvb:weight="1">./</BaseURL>');
    const played = await playOffline(join(out, 'dvb.mpd'));
    expect(played.videoPackets).toBe(250);
  });

  it('a Period behind xlink:href (23009-1 5.5): fetched, listed as if inline, and written into the saved MPD so that it plays offline', async () => {
    const served = await readFile(join(media.path, 'number', 'manifest.mpd'), 'utf8');
    const start = served.indexOf('<Period');
    const end = served.indexOf('</Period>') + '</Period>'.length;
    await writeFile(join(media.path, 'number', 'period.xml'), served.slice(start, end));
    await writeFile(
      join(media.path, 'number', 'linked.mpd'),
      `${served.slice(0, start)}<Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="period.xml" xlink:actuate="onLoad"/>${served.slice(end)}`,
    );
    const listing = async (name: string) => {
      const run = await runDashget(`${server.url}/number/${name}`, '--dry-run', '--json');
      expect(run.code, run.stderr).toBe(0);
      const { manifest: _, ...rest } = JSON.parse(run.stdout);
      return rest;
    };
    expect(await listing('linked.mpd')).toEqual(await listing('manifest.mpd'));

    const out = join(work.path, 'linked');
    const run = await runDashget(`${server.url}/number/linked.mpd`, '-o', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, files: 12, failed: [] });
    const saved = await readFile(join(out, 'linked.mpd'), 'utf8');
    expect(saved).not.toContain('xlink:href');
    expect(saved).toContain('<SegmentTemplate');
    const played = await playOffline(join(out, 'linked.mpd'));
    expect(played.videoPackets).toBe(250);
    expect(played.duration).toBeCloseTo(10, 0);
  });

  it('a served manifest never makes dashget read a local file through xlink:href', async () => {
    const served = await readFile(join(media.path, 'number', 'manifest.mpd'), 'utf8');
    const secret = join(work.path, 'secret.xml');
    await writeFile(secret, '<Period id="secret"/>');
    await writeFile(
      join(media.path, 'number', 'sneaky.mpd'),
      served.replace(
        '<Period',
        `<Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="${pathToFileURL(secret).href}"/><Period`,
      ),
    );
    const run = await runDashget(`${server.url}/number/sneaky.mpd`, '--dry-run', '--json');
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout);
    expect(listed.periods.map((p: { id: string | null }) => p.id)).not.toContain('secret');
    expect(listed.warnings).toContainEqual(
      expect.objectContaining({
        code: 'MPD_XLINK_NOT_RESOLVED',
        message: expect.stringMatching(/file: is not read for a served manifest/),
      }),
    );
  });

  it('SegmentTimeline $Time$: identical files; startNumber="0" so that ffmpeg 5.1 keeps the first segment (10 s, not 8)', async () => {
    const out = join(work.path, 'timeline');
    const run = await runDashget(`${server.url}/timeline/manifest.mpd`, '-o', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: true, files: 6, segments: 5, skipped: 0, resumed: 0, failed: [] });
    expect(summary.offlineChanges).toHaveLength(1);
    const files = ['init-0.m4s', ...[0, 25600, 51200, 76800, 102400].map((t) => `seg-0-${t}.m4s`)];
    await expectSameFiles('timeline', out, files);
    const served = await readFile(join(media.path, 'timeline', 'manifest.mpd'), 'utf8');
    const saved = await readFile(join(out, 'manifest.mpd'), 'utf8');
    expect(saved).toBe(served.replace('startNumber="1"', 'startNumber="0"'));
    const played = await playOffline(join(out, 'manifest.mpd'));
    expect(played.videoPackets).toBe(250);
    expect(played.duration).toBeCloseTo(10, 0);
  });

  it('SegmentList with @mediaRange in one file (single_file 1): each file fetched once, whole, the ranges still valid', async () => {
    const out = join(work.path, 'single');
    const run = await runDashget(`${server.url}/single/manifest.mpd`, '-o', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: true, files: 2, segments: 10 });
    await expectSameFiles('single', out, ['manifest-stream0.mp4', 'manifest-stream1.mp4']);
    const gets = server.requests.filter((r) => r.path.startsWith('/single/manifest-stream'));
    expect(gets.map((r) => [r.path, r.range])).toEqual(
      expect.arrayContaining([
        ['/single/manifest-stream0.mp4', undefined],
        ['/single/manifest-stream1.mp4', undefined],
      ]),
    );
    expect(gets).toHaveLength(2);
    // The saved MPD keeps every range (only startNumber changes), and they cut the saved file where they cut the served one.
    const saved = await readFile(join(out, 'manifest.mpd'), 'utf8');
    const served = await readFile(join(media.path, 'single', 'manifest.mpd'), 'utf8');
    expect(saved).toBe(served.replaceAll('startNumber="1"', 'startNumber="0"'));
    const { format } = await probe(join(out, 'manifest-stream0.mp4'));
    expect(Number(format.duration)).toBeCloseTo(10, 0);
  });

  it('SegmentBase with a global sidx: the sidx read by range, the file fetched whole once, 6 s offline', async () => {
    const out = join(work.path, 'base');
    const dry = await runDashget(`${server.url}/base/manifest.mpd`, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const segments = JSON.parse(dry.stdout).periods[0].adaptationSets[0].representations[0].segments;
    expect(segments).toHaveLength(6);
    expect(segments.map((s: { duration: number }) => s.duration / 12800)).toEqual([1, 1, 1, 1, 1, 1]);
    const run = await runDashget(`${server.url}/base/manifest.mpd`, '-o', out);
    expect(run.code, run.stderr).toBe(0);
    await expectSameFiles('base', out, ['media/video.mp4']);
    const played = await playOffline(join(out, 'manifest.mpd'));
    expect(played.videoPackets).toBe(150);
    expect(played.duration).toBeCloseTo(6, 0);
  });

  it('SegmentBase from a local manifest: the sidx read from the file beside it, the same list as over HTTP; a missing file named', async () => {
    const local = join(media.path, 'base', 'manifest.mpd');
    const [overFile, overHttp] = await Promise.all([
      runDashget(local, '--dry-run', '--json'),
      runDashget(`${server.url}/base/manifest.mpd`, '--dry-run', '--json'),
    ]);
    expect(overFile.code, overFile.stderr).toBe(0);
    const segments = (run: { stdout: string }) =>
      JSON.parse(run.stdout).periods[0].adaptationSets[0].representations[0].segments.map(
        (s: { range: string; time: number; duration: number }) => [s.range, s.time, s.duration],
      );
    expect(segments(overFile)).toHaveLength(6);
    expect(segments(overFile)).toEqual(segments(overHttp));

    const copy = await makeTempDir('dashget-local-');
    try {
      await writeFile(join(copy.path, 'manifest.mpd'), await readFile(local));
      const missing = await runDashget(join(copy.path, 'manifest.mpd'), '--dry-run');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /^dashget: cannot read the index \(bytes \d+-\d+ of .*media\/video\.mp4\): no such file \[DASHGET_MANIFEST_UNAVAILABLE\]\n$/,
      );
    } finally {
      await copy.remove();
    }
  });

  it('SegmentBase over HTTP: an index the first BaseURL cannot serve is read from the next; none serving it is named', async () => {
    const manifest = await readFile(join(media.path, 'base', 'manifest.mpd'), 'utf8');
    const withBases = (...bases: string[]) =>
      manifest.replace('<Period', `${bases.map((base) => `<BaseURL>${base}</BaseURL>`).join('')}<Period`);
    await writeFile(join(media.path, 'base', 'fallback.mpd'), withBases('gone/', './'));
    await writeFile(join(media.path, 'base', 'nowhere.mpd'), withBases('gone/', 'lost/'));
    const fallback = await runDashget(`${server.url}/base/fallback.mpd`, '--dry-run', '--json');
    expect(fallback.code, fallback.stderr).toBe(0);
    const [representation] = JSON.parse(fallback.stdout).periods[0].adaptationSets[0].representations;
    expect(representation.segments).toHaveLength(6);
    // The listing names the first BaseURL's file (a download tries it, then the next).
    expect(representation.segments[0].url).toBe(`${server.url}/base/gone/media/video.mp4`);

    const nowhere = await runDashget(`${server.url}/base/nowhere.mpd`, '--dry-run');
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(
      /^dashget: cannot read the index \(bytes \d+-\d+ of http:\/\/127\.0\.0\.1:\d+\/base\/gone\/media\/video\.mp4\): HTTP 404: [^;]*; then http:\/\/127\.0\.0\.1:\d+\/base\/lost\/media\/video\.mp4: HTTP 404: .*\[DASHGET_MANIFEST_UNAVAILABLE\]\n$/,
    );
  });

  it('a re-run skips every complete file (size = Content-Length): HEAD requests only', async () => {
    const out = join(work.path, 'number');
    const before = server.requests.length;
    const run = await runDashget(`${server.url}/number/manifest.mpd`, '-o', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ skipped: 12, downloadedBytes: 0, resumed: 0 });
    const methods = server.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(methods.filter((m) => m.startsWith('GET'))).toEqual(['GET /number/manifest.mpd']);
    expect(methods.filter((m) => m.startsWith('HEAD'))).toHaveLength(12);
  });
});
