import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ByteRange, parseMpd, type ResolvedMpd, resolveMpd, type SegmentLocation } from '@rec/mpd';
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
import { rewriteOfflineMpd } from '../src/index.js';
import { makeFfmpegDash, makeSegmentBaseDash } from './helpers/dashMedia.js';
import { runDashget } from './helpers/runDashget.js';

let media: TempDir;
let work: TempDir;
let server: HttpTestServer;
/** The SegmentBase file's init and sidx ranges, as makeSegmentBaseDash wrote them. */
let baseRanges: { init: string; index: string };

beforeAll(async () => {
  media = await makeTempDir('dashget-abs-media-');
  work = await makeTempDir('dashget-abs-out-');
  await Promise.all([
    makeFfmpegDash(media.path, 'number'),
    makeFfmpegDash(media.path, 'timeline'),
    makeSegmentBaseDash(media.path, 10),
  ]);
  const baseMpd = await readFile(join(media.path, 'base', 'manifest.mpd'), 'utf8');
  baseRanges = {
    init: /Initialization range="([\d-]+)"/.exec(baseMpd)?.[1] as string,
    index: /indexRange="([\d-]+)"/.exec(baseMpd)?.[1] as string,
  };
  // Index Segments for SegmentURL@index: nothing reads them but the downloader, any bytes do.
  await mkdir(join(media.path, 'idx'));
  for (let n = 1; n <= 5; n++)
    await writeFile(join(media.path, 'idx', `a-${n}.bin`), `index ${n}\n`.repeat(n));
  server = await startHttpServer({ root: media.path });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await media?.remove();
  await work?.remove();
});

/**
 * Two Periods whose every reference is absolute, at every level: Period 1 an
 * absolute Period BaseURL under a Period-level SegmentTemplate (absolute
 * `$Time$` media, relative init) and a SegmentBase with Initialization and
 * RepresentationIndex @sourceURL; Period 2 an AdaptationSet-level
 * SegmentTemplate (`$RepresentationID$`, `$Number%05d$`) and a SegmentList
 * (Initialization@sourceURL, SegmentURL@media and @index). Two BaseURLs at
 * the MPD level (the second a fallback).
 */
function absoluteMpd(s: string): string {
  const segmentUrls = [1, 2, 3, 4, 5]
    .map((n) => `<SegmentURL media="${s}/number/chunk-1-0000${n}.m4s" index="${s}/idx/a-${n}.bin"/>`)
    .join('\n          ');
  return `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:full:2011" type="static" mediaPresentationDuration="PT20S" minBufferTime="PT2S">
  <BaseURL>${s}/site/</BaseURL>
  <BaseURL>${s}/mirror/</BaseURL>
  <Period id="p1" duration="PT10S">
    <BaseURL>${s}/timeline/</BaseURL>
    <SegmentTemplate timescale="12800" initialization="init-$RepresentationID$.m4s" media="${s}/timeline/seg-$RepresentationID$-$Time$.m4s">
      <SegmentTimeline><S t="0" d="25600" r="4"/></SegmentTimeline>
    </SegmentTemplate>
    <AdaptationSet id="0" contentType="video" mimeType="video/mp4" codecs="avc1.42c00b">
      <Representation id="0" bandwidth="302133" width="160" height="90"/>
    </AdaptationSet>
    <AdaptationSet id="2" contentType="video" mimeType="video/mp4" codecs="avc1.42c00b">
      <Representation id="b" bandwidth="300000" width="160" height="90">
        <BaseURL>${s}/base/media/video.mp4</BaseURL>
        <SegmentBase>
          <Initialization sourceURL="${s}/base/media/video.mp4" range="${baseRanges.init}"/>
          <RepresentationIndex sourceURL="${s}/base/media/video.mp4" range="${baseRanges.index}"/>
        </SegmentBase>
      </Representation>
    </AdaptationSet>
  </Period>
  <Period id="p2" duration="PT10S">
    <AdaptationSet id="0" contentType="video" mimeType="video/mp4" codecs="avc1.42c00b">
      <SegmentTemplate timescale="1000000" duration="2000000" startNumber="1"
        initialization="${s}/number/init-$RepresentationID$.m4s" media="${s}/number/chunk-$RepresentationID$-$Number%05d$.m4s"/>
      <Representation id="0" bandwidth="302133" width="160" height="90"/>
    </AdaptationSet>
    <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" codecs="mp4a.40.2">
      <Representation id="1" bandwidth="64000" audioSamplingRate="48000">
        <BaseURL>audio/</BaseURL>
        <SegmentList timescale="1000000" duration="2000000">
          <Initialization sourceURL="${s}/number/init-1.m4s"/>
          ${segmentUrls}
        </SegmentList>
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
`;
}

/** Every location of a resolved MPD, in order: init, index, then each segment and its Index Segment. */
function locations(resolved: ResolvedMpd): SegmentLocation[] {
  return resolved.periods.flatMap((period) =>
    period.adaptationSets.flatMap((set) =>
      set.representations.flatMap((rep) => [
        ...(rep.init ? [rep.init] : []),
        ...rep.segments.flatMap((segment) => [segment, ...(segment.index ? [segment.index] : [])]),
      ]),
    ),
  );
}

const slice = (bytes: Buffer, range: ByteRange | undefined) =>
  range ? bytes.subarray(range.first, range.last === undefined ? undefined : range.last + 1) : bytes;

/** Resolves an MPD read from disk: a SegmentBase index is read from the file its URL names. */
async function resolveSaved(path: string): Promise<ResolvedMpd> {
  const mpd = parseMpd(await readFile(path), { url: pathToFileURL(path).href });
  return resolveMpd(mpd, {
    loadRange: async (location) => slice(await readFile(fileURLToPath(location.url)), location.range),
  });
}

describe('the saved MPD plays offline whatever its references are absolute to', () => {
  it('rewrites absolute templates, SegmentURLs, sourceURLs and BaseURLs at every level: every segment of the saved MPD is the served file', async () => {
    const manifest = absoluteMpd(server.url);
    await mkdir(join(media.path, 'site'), { recursive: true });
    await writeFile(join(media.path, 'site', 'manifest.mpd'), manifest);
    const out = join(work.path, 'absolute');
    const run = await runDashget(`${server.url}/site/manifest.mpd`, '-o', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.warnings).toEqual([]);

    // The saved MPD names no server: only relative references, the $...$ identifiers kept.
    const savedPath = join(out, 'manifest.mpd');
    const saved = await readFile(savedPath, 'utf8');
    expect(saved).not.toContain(server.url);
    const host = new URL(server.url).host.replace(':', '_');
    expect(saved).toContain(`media="${host}/number/chunk-$RepresentationID$-$Number%05d$.m4s"`);
    expect(saved).toContain(`initialization="${host}/number/init-$RepresentationID$.m4s"`);
    expect(saved).toContain(
      `<SegmentURL media="../${host}/number/chunk-1-00003.m4s" index="../${host}/idx/a-3.bin"/>`,
    );
    expect(saved).toContain(`media="seg-$RepresentationID$-$Time$.m4s"`);
    expect(saved).toContain(`<RepresentationIndex sourceURL="video.mp4" range="${baseRanges.index}"/>`);

    // Played back from disk: the same segments as online, each a file with the served bytes at its range.
    const online = await resolveMpd(parseMpd(manifest, { url: `${server.url}/site/manifest.mpd` }), {
      loadRange: async (location) =>
        slice(await readFile(join(media.path, new URL(location.url).pathname)), location.range),
    });
    const offline = await resolveSaved(savedPath);
    const served = locations(online);
    const local = locations(offline);
    expect(local).toHaveLength(served.length);
    // Period 1: video init + 5, SegmentBase init + 10 (its sidx); Period 2: video init + 5, audio init + 5 + 5 Index Segments.
    expect(served.length).toBe(6 + 11 + 6 + 11);
    for (const [i, location] of local.entries()) {
      const want = served[i] as SegmentLocation;
      expect(location.url.startsWith(pathToFileURL(out).href), location.url).toBe(true);
      expect(location.range).toEqual(want.range);
      const file = fileURLToPath(location.url);
      expect((await stat(file)).isFile(), file).toBe(true);
      const [mine, theirs] = await Promise.all([
        readFile(file),
        readFile(join(media.path, decodeURIComponent(new URL(want.url).pathname))),
      ]);
      expect(slice(mine, location.range).equals(slice(theirs, want.range)), location.url).toBe(true);
    }
  });

  it('ffmpeg plays the saved MPD with no request to the server (its last Period: ffmpeg 5.1 plays one), video and audio', async () => {
    const savedPath = join(work.path, 'absolute', 'manifest.mpd');
    const before = server.requests.length;
    const mkv = join(work.path, 'absolute.mkv');
    await runFfmpeg(['-v', 'error', '-i', savedPath, '-map', '0', '-c', 'copy', mkv]);
    expect(server.requests.slice(before)).toEqual([]);
    const { format, streams } = await probe(mkv);
    expect(streams.map((stream) => stream.codec_type)).toEqual(['video', 'audio']);
    expect(Number(format.duration)).toBeCloseTo(10, 0);
    expect(await probePackets(mkv, 'v:0')).toHaveLength(250);
  });
});

describe('rewriteOfflineMpd keeps what it cannot point at a saved file, with a warning', () => {
  const S = 'https://cdn.example.com';
  const mpdOf = (body: string) =>
    `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S"><Period>${body}</Period></MPD>`;
  const rewrite = (text: string, downloaded?: string[]) =>
    rewriteOfflineMpd(text, parseMpd(text, { url: `${S}/vod/a.mpd` }), { downloaded });

  it('a Representation not downloaded (left out by --select) keeps its absolute URLs', () => {
    const text = mpdOf(`<AdaptationSet>
      <Representation id="v" bandwidth="1"><SegmentTemplate duration="2" media="${S}/v/$Number$.m4s"/></Representation>
      <Representation id="w" bandwidth="2"><SegmentTemplate duration="2" media="${S}/w/$Number$.m4s"/></Representation>
      </AdaptationSet>`);
    const result = rewrite(text, [`${S}/v/1.m4s`, `${S}/v/2.m4s`]);
    expect(result.text).toContain('media="cdn.example.com/v/$Number$.m4s"');
    expect(result.text).toContain(`media="${S}/w/$Number$.m4s"`);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'DASHGET_OFFLINE_URL_KEPT',
        message: `SegmentTemplate@media ${S}/w/$Number$.m4s: not downloaded; kept as written`,
      }),
    ]);
    // Without a list of what was downloaded, everything counts as downloaded.
    expect(rewrite(text).text).toContain('media="cdn.example.com/w/$Number$.m4s"');
  });

  it('an AdaptationSet-level absolute template whose Representations sit in different folders offline is kept', () => {
    const text =
      mpdOf(`<AdaptationSet><SegmentTemplate duration="2" media="${S}/all/$RepresentationID$-$Number$.m4s"/>
      <Representation id="v" bandwidth="1"><BaseURL>v/</BaseURL></Representation>
      <Representation id="w" bandwidth="2"><BaseURL>w/x/</BaseURL></Representation></AdaptationSet>`);
    const result = rewrite(text);
    expect(result.text).toBe(text);
    expect(result.warnings[0]?.message).toMatch(/different folders/);
  });

  it('the same template with one folder for both is rewritten once; a Representation overriding @media is not counted', () => {
    const text =
      mpdOf(`<AdaptationSet><SegmentTemplate duration="2" media="${S}/all/$RepresentationID$-$Number$.m4s"/>
      <Representation id="v" bandwidth="1"/>
      <Representation id="w" bandwidth="2"><BaseURL>w/</BaseURL><SegmentTemplate media="$Number$.m4s"/></Representation></AdaptationSet>`);
    const result = rewrite(text);
    expect(result.warnings).toEqual([]);
    expect(result.text).toContain('media="cdn.example.com/all/$RepresentationID$-$Number$.m4s"');
    expect(result.text).toContain('<SegmentTemplate media="$Number$.m4s"/>');
  });

  it('relative references under the manifest directory are saved as served; `&` stays escaped', () => {
    const text = mpdOf(
      `<AdaptationSet><Representation id="v" bandwidth="1"><SegmentList duration="2"><SegmentURL media="v/1.m4s"/><SegmentURL media="${S}/vod/v/2.m4s?a=1&amp;b=2"/></SegmentList></Representation></AdaptationSet>`,
    );
    const result = rewrite(text);
    expect(result.text).toContain('<SegmentURL media="v/1.m4s"/>');
    expect(result.text).toContain('<SegmentURL media="v/2.m4s%3Fa=1&amp;b=2"/>');
  });
});
