import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseMpd, resolveMpd } from '@rec/mpd';
import {
  encodeTestMedia,
  type FaultRule,
  type HttpTestServer,
  makeTempDir,
  probe,
  probePackets,
  runFfmpeg,
  startHttpServer,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLiveSummary } from '../src/live/formatLiveSummary.js';
import { type LiveProgress, recordLive } from '../src/live/recordLive.js';

/** One rendition of the pre-encoded content, as ffmpeg's static MPD describes it. */
interface Rendition {
  id: string;
  contentType: 'video' | 'audio';
  attributes: string;
  timescale: number;
  segments: { number: number; time: bigint; duration: number; end: number; name: string }[];
}

const SECONDS = 30;
const VIDEO_FRAMES_PER_SEGMENT = 50; // 25 fps, 2-s segments

let work: TempDir;
let content: string;
let renditions: Rendition[];

/**
 * 30 s of 320x180 H.264 (25 fps, a keyframe every 2 s) and mono AAC cut by
 * ffmpeg's DASH muxer into 2-s segments named by `$Number$` (audio
 * segments are 1.98 to 2.005 s: AAC frames do not divide 2 s).
 */
beforeAll(async () => {
  work = await makeTempDir('rec-dashget-live-');
  content = join(work.path, 'content');
  await encodeTestMedia(join(await mkdirp(content), 'source.mpd'), {
    seconds: SECONDS,
    video: { gop: VIDEO_FRAMES_PER_SEGMENT, bitrate: '150k' },
    audio: { codec: 'aac', bitrate: '48k' },
    format: 'dash',
    outputArgs: [
      ...['-seg_duration', '2', '-use_template', '1', '-use_timeline', '1'],
      ...['-init_seg_name', 'init-$RepresentationID$.m4s'],
      ...['-media_seg_name', 'chunk-$RepresentationID$-$Number%05d$.m4s'],
      ...['-adaptation_sets', 'id=0,streams=v id=1,streams=a'],
    ],
  });
  const origin = 'http://origin.test/source.mpd';
  const source = parseMpd(await readFile(join(content, 'source.mpd')), { url: origin });
  const resolved = await resolveMpd(source);
  renditions = resolved.periods[0]!.adaptationSets.flatMap((set) =>
    set.representations.map(({ representation: r, timescale, segments }) => ({
      id: r.id,
      contentType: set.adaptationSet.contentType as 'video' | 'audio',
      attributes:
        `mimeType="${r.mimeType}" codecs="${r.codecs}" bandwidth="${r.bandwidth}"` +
        (r.width === null
          ? ` audioSamplingRate="${r.audioSamplingRate}"`
          : ` width="${r.width}" height="${r.height}"`),
      timescale,
      segments: segments.map((s) => ({
        number: s.number as number,
        time: s.time,
        duration: s.duration,
        end: s.end,
        name: s.url.slice(s.url.lastIndexOf('/') + 1),
      })),
    })),
  );
  expect(renditions.map((r) => [r.contentType, r.segments.length])).toEqual([
    ['video', 15],
    ['audio', 15],
  ]);
}, 60_000);

afterAll(async () => {
  await work?.remove();
});

async function mkdirp(path: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path, { recursive: true });
  return path;
}

interface LiveServerOptions {
  /** Seconds of content already out when the server starts. */
  elapsed: number;
  /** From this many seconds after the start, the MPD is static. */
  staticAfter?: number;
  /** `<Location>` of the MPD (a path on the server). */
  location?: string;
  /** Each media segment's first request answers 404 (a packager that announces before the origin has it). */
  notFoundFirst?: boolean;
  /** Segment files that are never served (404). */
  missing?: string[];
  /**
   * `number`: video only, a `$Number$` template with `@duration` and no
   * `@minimumUpdatePeriod` (the MPD never changes: new segments come from
   * the clock alone) nor time-shift window (the live edge only).
   */
  addressing?: 'timeline' | 'number';
  /** The server's clock runs this many times as fast as the real one from the start (default 1): it drifts. */
  clockRate?: number;
}

interface LiveServer {
  server: HttpTestServer;
  manifestUrl: string;
  /** Wall-clock ms of availabilityStartTime. */
  ast: number;
  /**
   * A `fetchTime` that reads the server's clock with no round trip: a
   * test about drift measures the drift alone, not the half round trip of
   * a loaded machine (a /time answer 2 s late put the first window a
   * segment early).
   */
  serverTime: () => Promise<{ body: string }>;
}

const TIME_SHIFT = 8;

/**
 * A live packager over the pre-encoded content: availabilityStartTime is
 * `elapsed` seconds before the server starts, the MPD's SegmentTimeline
 * lists the segments whose end has passed (the last TIME_SHIFT seconds of
 * them, `$Number$` from `@startNumber`), and a segment file is 404 until
 * its availability time (23009-1 5.3.9.5.3: AST + its end). UTCTiming is
 * http-iso on the server's own clock.
 */
async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const started = Date.now();
  // The server's wall clock: MPD times, segment availability and /time all follow it.
  const serverNow = () => started + (Date.now() - started) * (options.clockRate ?? 1);
  const ast = started - options.elapsed * 1000;
  const bytes = new Map<string, Uint8Array>();
  for (const name of await readdir(content)) bytes.set(name, await readFile(join(content, name)));
  let base = '';
  const available = (end: number) => serverNow() >= ast + end * 1000;

  const mpd = (): string => {
    const now = serverNow();
    const isStatic = options.staticAfter !== undefined && now >= started + options.staticAfter * 1000;
    const numbered = options.addressing === 'number';
    const sets = renditions.slice(0, numbered ? 1 : undefined).map((r, index) => {
      const listed = r.segments.filter((s) => available(s.end) && s.end > (now - ast) / 1000 - TIME_SHIFT);
      const timeline = listed.map((s) => `<S t="${s.time}" d="${s.duration}"/>`).join('');
      const channels =
        r.contentType === 'audio'
          ? '<AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="1"/>'
          : '';
      return `<AdaptationSet id="${index}" contentType="${r.contentType}" segmentAlignment="true" lang="en">
      <Role schemeIdUri="urn:mpeg:dash:role:2011" value="main"/>
      <Representation id="${r.id}" ${r.attributes}>${channels}
        <SegmentTemplate timescale="${r.timescale}" initialization="init-$RepresentationID$.m4s"
          media="chunk-$RepresentationID$-$Number%05d$.m4s" ${
            numbered
              ? `duration="${r.segments[0]?.duration}" startNumber="1"/>`
              : `startNumber="${listed[0]?.number ?? 1}">
          <SegmentTimeline>${timeline}</SegmentTimeline>
        </SegmentTemplate>`
          }
      </Representation>
    </AdaptationSet>`;
    });
    const last = Math.max(
      0,
      ...renditions.flatMap((r) => r.segments.filter((s) => available(s.end)).map((s) => s.end)),
    );
    const type = isStatic
      ? `type="static" mediaPresentationDuration="PT${last}S"`
      : `type="dynamic" availabilityStartTime="${new Date(ast).toISOString()}" publishTime="${new Date(now).toISOString()}"` +
        (numbered
          ? ''
          : ` minimumUpdatePeriod="PT1S" timeShiftBufferDepth="PT${TIME_SHIFT}S" maxSegmentDuration="PT2.1S"`);
    return `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" ${type} minBufferTime="PT2S">
  ${options.location ? `<Location>${base}${options.location}</Location>` : ''}
  <Period id="p0" start="PT0S">
    ${sets.join('\n    ')}
  </Period>
  <UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-iso:2014" value="${base}/time"/>
</MPD>
`;
  };

  const answer = (path: string): string | Uint8Array | undefined => {
    if (path === '/time') return new Date(serverNow()).toISOString();
    if (path === '/live/live.mpd' || path === options.location) return mpd();
    const name = path.replace(/^\/live\//, '');
    const segment = renditions.flatMap((r) => r.segments).find((s) => s.name === name);
    if (segment && (!available(segment.end) || options.missing?.includes(name))) return undefined;
    return path.startsWith('/live/') ? bytes.get(name) : undefined;
  };
  const faults: FaultRule[] = options.notFoundFirst
    ? renditions.flatMap((r) =>
        r.segments.map(
          (s) => ({ path: `/live/${s.name}`, fault: { kind: 'status', status: 404 }, times: 1 }) as const,
        ),
      )
    : [];
  const server = await startHttpServer({
    // The harness looks each request's path up in `files`: this one answers from the clock.
    files: new Proxy({} as Record<string, string | Uint8Array>, {
      get: (_, path) => (typeof path === 'string' ? answer(path) : undefined),
    }),
    faults,
  });
  base = server.url;
  return {
    server,
    manifestUrl: `${server.url}/live/live.mpd`,
    ast,
    serverTime: async () => ({ body: new Date(serverNow()).toISOString() }),
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

async function playOffline(mpdPath: string, output: string) {
  await runFfmpeg(['-v', 'error', '-i', mpdPath, '-map', '0', '-c', 'copy', output]);
  const { format, streams } = await probe(output);
  const video = await probePackets(output, 'v:0');
  return {
    duration: Number(format.duration),
    streams: streams.map((s) => s.codec_type),
    videoPackets: video.length,
  };
}

describe('recordLive (dynamic MPDs, ISO/IEC 23009-1 5.4)', () => {
  it('records 10 s from the live edge, as segments appear, into a static MPD ffmpeg plays offline', async () => {
    const live = await startLiveServer({ elapsed: 7, location: '/live/moved.mpd', notFoundFirst: true });
    const out = await makeTempDir('rec-dashget-live-out-');
    try {
      const progress: LiveProgress[] = [];
      const summary = await recordLive({
        manifestUrl: live.manifestUrl,
        duration: 10,
        outputDir: out.path,
        threads: 4,
        // The local clock is an hour off: the live edge comes from the server's (UTCTiming).
        now: () => Date.now() + 3_600_000,
        onProgress: (p) => progress.push(p),
      });
      const requests = live.server.requests;

      // At the first read (7 s in: segments 1-3 out), the newest segment [4, 6) is the live edge.
      expect(summary.window.start).toBeCloseTo(4, 1);
      expect(summary.end).toBe('duration');
      expect(summary.failed).toEqual([]);
      expect(summary.warnings.map((w) => w.code)).toContain('DASHGET_LIVE_RELOCATED');
      expect(summary.warnings.map((w) => w.code)).not.toContain('MPD_CLOCK_LOCAL');
      // Refreshes read the Location; the first read was the URL given.
      const manifests = requests.filter((r) => r.path.endsWith('.mpd')).map((r) => r.path);
      expect(manifests[0]).toBe('/live/live.mpd');
      expect(manifests.slice(1).every((path) => path === '/live/moved.mpd')).toBe(true);
      expect(summary.refreshes).toBeGreaterThanOrEqual(5);

      // Video segments 3..7 cover [4, 14); nothing before the live edge was fetched.
      const files = await listFiles(out.path);
      const videoFiles = files.filter((name) => name.startsWith('chunk-0-'));
      expect(videoFiles).toEqual([3, 4, 5, 6, 7].map((n) => `chunk-0-${String(n).padStart(5, '0')}.m4s`));
      expect(requests.some((r) => /chunk-\d-0000[12]/.test(r.path))).toBe(false);
      expect(files).toContain('init-0.m4s');
      expect(files).toContain('init-1.m4s');
      expect(files).toContain('live.mpd');
      expect(files.filter((name) => name.endsWith('.part') || name.startsWith('.dashget'))).toEqual([]);
      for (const name of files.filter((file) => file.endsWith('.m4s'))) {
        expect(
          Buffer.compare(await readFile(join(out.path, name)), await readFile(join(content, name))),
          name,
        ).toBe(0);
      }

      // Every media segment answered 404 once (announced before the origin had it) and was fetched again.
      for (const name of files.filter((file) => file.startsWith('chunk-'))) {
        const statuses = requests
          .filter((r) => r.path === `/live/${name}` && r.method === 'GET')
          .map((r) => r.status);
        expect(statuses[0], name).toBe(404);
        expect(statuses.at(-1), name).toBe(200);
      }

      // Downloads started while the stream was live, not in one batch after it: the first
      // segment was on disk before the last one was even announced.
      const firstDone = requests.find((r) => r.path.startsWith('/live/chunk-') && r.status === 200);
      const lastSegment = requests.findLast((r) => r.path === '/live/chunk-0-00007.m4s' && r.status === 200);
      expect(firstDone!.finishedAt!).toBeLessThan(lastSegment!.arrivedAt - 3000);

      const mpd = await readFile(summary.mpdPath, 'utf8');
      expect(summary.mpdPath).toBe(join(out.path, 'live.mpd'));
      expect(mpd).toContain('type="static"');
      expect(mpd).not.toContain('availabilityStartTime');
      expect(summary.duration).toBeGreaterThanOrEqual(10);
      expect(summary.duration).toBeLessThan(12);
      // Read back: the descriptors of the source, and every segment a file of the directory, in order.
      const offline = await resolveMpd(parseMpd(mpd, { url: pathToFileURL(summary.mpdPath).href }));
      expect(offline.mpd.type).toBe('static');
      const sets = offline.periods[0]!.adaptationSets;
      expect(sets.map((set) => [set.adaptationSet.contentType, set.adaptationSet.lang])).toEqual([
        ['video', 'en'],
        ['audio', 'en'],
      ]);
      expect(sets.map((set) => set.adaptationSet.roles.map((role) => role.value))).toEqual([
        ['main'],
        ['main'],
      ]);
      expect(sets[1]!.representations[0]!.representation.element.children.map((c) => c.localName)).toContain(
        'AudioChannelConfiguration',
      );
      const video = sets[0]!.representations[0]!;
      expect(video.segments.map((s) => s.url.slice(s.url.lastIndexOf('/') + 1))).toEqual(videoFiles);
      // The presentation starts with the earliest segment recorded (audio's, which began before 4 s),
      // and video keeps its place after it (to a tick of its timescale, 1/12800 s).
      const audio = renditions[1]!;
      const audioFirst = audio.segments.find((s) => s.end > summary.window.start)!;
      const lead = summary.window.start - Number(audioFirst.time) / audio.timescale;
      expect(lead).toBeGreaterThan(0);
      expect(sets[1]!.representations[0]!.segments[0]!.start).toBe(0);
      expect(video.segments.map((s) => [s.start, s.end])).toEqual(
        [0, 2, 4, 6, 8].map((start) => [
          expect.closeTo(lead + start, 3),
          expect.closeTo(lead + start + 2, 3),
        ]),
      );
      expect(video.init?.url).toBe(pathToFileURL(join(out.path, 'init-0.m4s')).href);

      const played = await playOffline(summary.mpdPath, join(out.path, 'out.mkv'));
      expect(played.streams).toEqual(['video', 'audio']);
      expect(Math.abs(played.duration - 10)).toBeLessThan(2);
      // All five video segments, the first included.
      expect(played.videoPackets).toBe(5 * VIDEO_FRAMES_PER_SEGMENT);

      const text = formatLiveSummary(summary).split('\n');
      expect(text[0]).toMatch(
        new RegExp(
          `^${out.path}/live\\.mpd: 10\\.\\d s recorded \\(its duration reached\\), \\d+ segments in \\d+ files, `,
        ),
      );
      expect(text.filter((line) => /^ {2}\d: \d+ segments, \d+ files, .* 0 failed$/.test(line))).toHaveLength(
        2,
      );
      expect(text).toContain(
        '  warning DASHGET_LIVE_RELOCATED: the manifest moved to ' +
          `${live.server.url}/live/moved.mpd (Location)`,
      );

      expect(progress.at(-1)).toMatchObject({ unit: 'seconds', total: 10, failed: 0, pending: 0 });
      expect(progress.every((p) => p.percent !== undefined && p.percent >= 0 && p.percent <= 1)).toBe(true);
    } finally {
      await live.server.stop();
      await out.remove();
    }
  }, 60_000);

  it('ends when the manifest turns static, with what it listed of the window', async () => {
    const live = await startLiveServer({ elapsed: 5, staticAfter: 3 });
    const out = await makeTempDir('rec-dashget-live-out-');
    try {
      const started = Date.now();
      const summary = await recordLive({ manifestUrl: live.manifestUrl, duration: 60, outputDir: out.path });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(summary.end).toBe('static');
      expect(summary.warnings.map((w) => w.code)).toContain('DASHGET_LIVE_TURNED_STATIC');
      expect(summary.failed).toEqual([]);
      // From the live edge at 5 s ([2, 4)) to what was out at 3 s after the start (8 s): [2, 8).
      expect(summary.window.start).toBeCloseTo(2, 1);
      const videoFiles = (await listFiles(out.path)).filter((name) => name.startsWith('chunk-0-'));
      expect(videoFiles).toEqual([2, 3, 4].map((n) => `chunk-0-${String(n).padStart(5, '0')}.m4s`));
      const played = await playOffline(summary.mpdPath, join(out.path, 'out.mkv'));
      expect(Math.abs(played.duration - 6)).toBeLessThan(0.1);
      expect(played.videoPackets).toBe(3 * VIDEO_FRAMES_PER_SEGMENT);
    } finally {
      await live.server.stop();
      await out.remove();
    }
  }, 60_000);

  it('follows a $Number$ template that never changes (no minimumUpdatePeriod) by the clock alone', async () => {
    const live = await startLiveServer({ elapsed: 7, addressing: 'number' });
    const out = await makeTempDir('rec-dashget-live-out-');
    try {
      const summary = await recordLive({ manifestUrl: live.manifestUrl, duration: 6, outputDir: out.path });
      expect(summary.end).toBe('duration');
      expect(summary.refreshes).toBe(1);
      expect(summary.window).toEqual({ start: 4, end: 10 });
      const files = await listFiles(out.path);
      expect(files.filter((name) => name.startsWith('chunk-'))).toEqual([
        'chunk-0-00003.m4s',
        'chunk-0-00004.m4s',
        'chunk-0-00005.m4s',
      ]);
      const played = await playOffline(summary.mpdPath, join(out.path, 'out.mkv'));
      expect(played.streams).toEqual(['video']);
      expect(played.videoPackets).toBe(3 * VIDEO_FRAMES_PER_SEGMENT);
      expect(Math.abs(played.duration - 6)).toBeLessThan(0.1);
    } finally {
      await live.server.stop();
      await out.remove();
    }
  }, 60_000);

  it('names a segment that never comes in `failed` and leaves its gap in the static MPD', async () => {
    const live = await startLiveServer({ elapsed: 7, missing: ['chunk-0-00004.m4s'] });
    const out = await makeTempDir('rec-dashget-live-out-');
    try {
      const summary = await recordLive({
        manifestUrl: live.manifestUrl,
        duration: 6,
        outputDir: out.path,
        segmentGrace: 1500,
      });
      expect(summary.end).toBe('duration');
      expect(summary.failed).toEqual([
        {
          url: `${live.server.url}/live/chunk-0-00004.m4s`,
          localPath: 'chunk-0-00004.m4s',
          representationId: '0',
          kind: 'media',
          reason: expect.stringMatching(/^HTTP 404/),
        },
      ]);
      // Tried again while its grace lasted, not once.
      const tries = live.server.requests.filter(
        (r) => r.path === '/live/chunk-0-00004.m4s' && r.method === 'GET',
      );
      expect(tries.length).toBeGreaterThan(1);
      const offline = await resolveMpd(
        parseMpd(await readFile(summary.mpdPath, 'utf8'), { url: pathToFileURL(summary.mpdPath).href }),
      );
      const video = offline.periods[0]!.adaptationSets[0]!.representations[0]!;
      // [4, 6) and [8, 10): the missing [6, 8) stays a hole (an S@t after it), nothing moves.
      expect(video.segments.map((s) => s.url.slice(s.url.lastIndexOf('/') + 1))).toEqual([
        'chunk-0-00003.m4s',
        'chunk-0-00005.m4s',
      ]);
      const [first, second] = video.segments;
      expect(second!.start - first!.start).toBeCloseTo(4, 6);
      expect(await listFiles(out.path)).not.toContain('chunk-0-00004.m4s');
    } finally {
      await live.server.stop();
      await out.remove();
    }
  }, 60_000);

  it('rejects with the reason of an abort and writes no MPD', async () => {
    const live = await startLiveServer({ elapsed: 7 });
    const out = await makeTempDir('rec-dashget-live-out-');
    try {
      const controller = new AbortController();
      const reason = new Error('stopped by the test');
      setTimeout(() => controller.abort(reason), 1500);
      await expect(
        recordLive({
          manifestUrl: live.manifestUrl,
          duration: 20,
          outputDir: out.path,
          signal: controller.signal,
        }),
      ).rejects.toBe(reason);
      expect(await listFiles(out.path)).not.toContain('live.mpd');
      expect((await listFiles(out.path)).some((name) => name.startsWith('chunk-0-'))).toBe(true);
    } finally {
      await live.server.stop();
      await out.remove();
    }
  }, 60_000);

  it('re-syncs with UTCTiming as the server clock drifts (half speed): no segment asked for before it is out; a failed re-sync keeps the offset', async () => {
    const live = await startLiveServer({ elapsed: 7, addressing: 'number', clockRate: 0.5 });
    const out = await makeTempDir('rec-dashget-live-out-');
    try {
      let timeReads = 0;
      const summary = await recordLive({
        manifestUrl: live.manifestUrl,
        duration: 6,
        outputDir: out.path,
        clockSyncInterval: 500,
        segmentGrace: 2000,
        // The third read of /time fails: the recording keeps the offset it had.
        fetchTime: async () => {
          if (++timeReads === 3) throw new Error('connection refused');
          return live.serverTime();
        },
      });
      expect(summary.end).toBe('duration');
      expect(summary.failed).toEqual([]);
      expect(summary.window).toEqual({ start: 4, end: 10 });
      const files = await listFiles(out.path);
      expect(files.filter((name) => name.startsWith('chunk-'))).toEqual([
        'chunk-0-00003.m4s',
        'chunk-0-00004.m4s',
        'chunk-0-00005.m4s',
      ]);
      // 6 s of real time for 3 s of server time: the server clock fell about 3 s behind, measured as it went.
      expect(summary.clock.syncs).toBeGreaterThanOrEqual(4);
      expect(summary.clock.offset).toBeLessThan(-2000);
      expect(summary.clock.drift).toBeGreaterThan(200);
      const codes = summary.warnings.map((w) => w.code);
      expect(codes).toContain('DASHGET_LIVE_CLOCK_RESYNC_FAILED');
      expect(codes).not.toContain('MPD_CLOCK_LOCAL');
      expect(formatLiveSummary(summary)).toMatch(
        / {2}server clock: \d+ UTCTiming syncs, offset -\d\.\d{3} s, drift up to/,
      );
      // Never asked for a segment long before the server had it (the grace covers a tick of clock error).
      const early = live.server.requests.filter((r) => r.path.includes('chunk-') && r.status === 404);
      expect(early.length).toBeLessThanOrEqual(2);
      const played = await playOffline(summary.mpdPath, join(out.path, 'out.mkv'));
      expect(played.videoPackets).toBe(3 * VIDEO_FRAMES_PER_SEGMENT);
    } finally {
      await live.server.stop();
      await out.remove();
    }
  }, 60_000);

  it('without re-syncs a drifting server clock (quarter speed) makes it ask for segments long before they are out: the last one fails', async () => {
    // Segment 5 [8, 10) is listed by the local clock 3 s in, out at the server 12 s in: far past its grace.
    const live = await startLiveServer({ elapsed: 7, addressing: 'number', clockRate: 0.25 });
    const out = await makeTempDir('rec-dashget-live-out-');
    try {
      const summary = await recordLive({
        manifestUrl: live.manifestUrl,
        duration: 6,
        outputDir: out.path,
        clockSyncInterval: Number.POSITIVE_INFINITY,
        segmentGrace: 1000,
        fetchTime: live.serverTime,
      });
      expect(summary.clock.syncs).toBe(1);
      expect(summary.failed.map((f) => f.localPath)).toContain('chunk-0-00005.m4s');
    } finally {
      await live.server.stop();
      await out.remove();
    }
  }, 60_000);

  it('SegmentBase and byte-ranged SegmentLists are not recorded live: left out with a warning, an error when nothing is left', async () => {
    const rep = (id: string, body: string) =>
      `<AdaptationSet contentType="video"><Representation id="${id}" bandwidth="1" mimeType="video/mp4">${body}</Representation></AdaptationSet>`;
    const base = rep('b', '<BaseURL>b.mp4</BaseURL><SegmentBase indexRange="800-900"/>');
    const list = rep(
      'l',
      '<BaseURL>l.mp4</BaseURL><SegmentList duration="2"><SegmentURL mediaRange="0-99"/><SegmentURL mediaRange="100-199"/></SegmentList>',
    );
    const mpd = (sets: string) =>
      `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" availabilityStartTime="2026-01-01T00:00:00Z" minimumUpdatePeriod="PT2S"><Period id="p" start="PT0S">${sets}</Period></MPD>`;
    const server = await startHttpServer({ files: { '/only.mpd': mpd(base + list) } });
    try {
      const error = await recordLive({
        manifestUrl: `${server.url}/only.mpd`,
        duration: 4,
        outputDir: join(work.path, 'unsupported'),
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DashgetError', code: 'DASHGET_LIVE_UNSUPPORTED' });
      expect(String(error)).toMatch(/SegmentBase or a byte-ranged SegmentList/);
    } finally {
      await server.stop();
    }
  });

  it('refuses bad options with the option named', async () => {
    const base = { manifestUrl: 'http://127.0.0.1:9/live.mpd', outputDir: work.path };
    await expect(recordLive({ ...base, duration: 0 })).rejects.toThrow(
      'Expected `duration` to be a finite number of seconds above 0, got `0` (number)',
    );
    await expect(recordLive({ ...base, duration: 5, threads: 0 })).rejects.toThrow(
      'Expected `threads` to be an integer from 1 to 1024, got `0` (number)',
    );
    await expect(recordLive({ ...base, manifestUrl: 'live.mpd', duration: 5 })).rejects.toThrow(
      'Expected `manifestUrl` to be an absolute URL, got `"live.mpd"` (string)',
    );
  });
});
