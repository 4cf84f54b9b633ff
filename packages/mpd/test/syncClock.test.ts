import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClockOptions, parseMpd, syncClock } from '../src/index.js';
import { mpdText } from './helpers/resolve.js';

/** A fixed local clock: the server below runs 5 s ahead of it. */
const LOCAL = Date.UTC(2025, 5, 1, 12, 0, 0);
const AHEAD = 5_000;

let server: Server;
let origin: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    const server = new Date(LOCAL + AHEAD);
    if (request.url === '/xsdate') response.end(server.toISOString());
    else if (request.url === '/iso-ms') response.end(String(server.getTime()));
    else if (request.url === '/head') {
      response.setHeader('date', server.toUTCString());
      response.end();
    } else if (request.url === '/garbage') response.end('<html>not a time</html>');
    else {
      response.statusCode = 500;
      response.end('broken');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The clock source a caller injects: fetch over real HTTP, a fixed local clock. */
const clock: ClockOptions = {
  now: () => LOCAL,
  fetchTime: async (url, method, signal) => {
    const response = await fetch(url, { method, signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return { body: await response.text(), date: response.headers.get('date') ?? undefined };
  },
};

const mpdWith = (timings: string) =>
  parseMpd(
    mpdText(
      `${timings}<Period start="PT0S"/>`,
      'type="dynamic" availabilityStartTime="2025-01-01T00:00:00Z"',
    ),
    { url: `${origin}/live/manifest.mpd` },
  );
const timing = (scheme: string, value: string) =>
  `<UTCTiming schemeIdUri="urn:mpeg:dash:utc:${scheme}:2014" value="${value}"/>`;

describe('syncClock (UTCTiming, ISO/IEC 23009-1 5.8.4.11)', () => {
  it('reads http-xsdate, http-iso and http-head over HTTP', async () => {
    for (const [scheme, path] of [
      ['http-xsdate', '/xsdate'],
      ['http-iso', '/iso-ms'],
      ['http-head', '/head'],
    ] as const) {
      const sync = await syncClock(mpdWith(timing(scheme, `${origin}${path}`)), clock);
      expect([scheme, sync.offset, sync.source?.scheme, sync.warnings]).toEqual([scheme, AHEAD, scheme, []]);
    }
    expect(hits).toContain('HEAD /head');
  });

  it('resolves a relative value against the manifest and tries the URLs of one value in order', async () => {
    const sync = await syncClock(mpdWith(timing('http-xsdate', '/missing ../xsdate')), clock);
    expect(sync.offset).toBe(AHEAD);
  });

  it('reads direct timings without I/O', async () => {
    const sync = await syncClock(mpdWith(timing('direct', new Date(LOCAL - 1500).toISOString())), {
      now: () => LOCAL,
    });
    expect(sync.offset).toBe(-1500);
  });

  it('falls through failing sources to the next, then to the local clock, saying so', async () => {
    const fallback = await syncClock(
      mpdWith(
        timing('http-xsdate', `${origin}/broken`) +
          timing('ntp', 'pool.ntp.org') +
          timing('http-iso', `${origin}/garbage`) +
          timing('http-head', `${origin}/head`),
      ),
      clock,
    );
    expect(fallback.offset).toBe(AHEAD);
    expect(fallback.source?.scheme).toBe('http-head');
    expect(fallback.warnings).toEqual([
      expect.objectContaining({
        code: 'MPD_UTC_TIMING_FAILED',
        count: 3,
        message: expect.stringContaining('HTTP 500'),
      }),
    ]);

    const local = await syncClock(mpdWith(timing('http-xsdate', `${origin}/broken`)), clock);
    expect(local).toMatchObject({ offset: 0, source: null });
    expect(local.warnings.map((w) => w.code)).toEqual(['MPD_UTC_TIMING_FAILED', 'MPD_CLOCK_LOCAL']);
    expect((await syncClock(mpdWith(''), clock)).warnings.map((w) => w.message)).toEqual([
      'no UTCTiming in the MPD: the local clock is used',
    ]);
  });

  it('rejects with the signal reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(
      syncClock(mpdWith(timing('http-xsdate', `${origin}/xsdate`)), { ...clock, signal: controller.signal }),
    ).rejects.toBe(reason);
  });
});
