import { describe, expect, it } from 'vitest';
import { MpdError } from '../src/index.js';
import { mpdText, only, resolveText, rows } from './helpers/resolve.js';

const B = 'https://cdn.example.com/vod';

describe('SegmentList (ISO/IEC 23009-1 5.3.9.3)', () => {
  it('gives byte ranges of one file: Initialization@range and SegmentURL@mediaRange (yt-dlp crashes here)', () => {
    // What ffmpeg writes with -f dash -single_file 1 (no @media on SegmentURL: the BaseURL is the file).
    const { representations } = resolveText(
      mpdText(
        `<Period duration="PT6S"><AdaptationSet mimeType="video/mp4">
          <Representation id="0" bandwidth="500000"><BaseURL>single-stream0.mp4</BaseURL>
            <SegmentList timescale="12800" duration="25600">
              <Initialization range="0-862"/>
              <SegmentURL mediaRange="863-52411"/>
              <SegmentURL mediaRange="52412-97220"/>
              <SegmentURL mediaRange="97221-130000"/>
            </SegmentList></Representation></AdaptationSet></Period>`,
      ),
    );
    const v = only(representations, '0');
    expect(v.init).toEqual({ url: `${B}/single-stream0.mp4`, range: { first: 0, last: 862 } });
    expect(rows(v.segments)).toEqual([
      [`${B}/single-stream0.mp4`, '863-52411', 0n, 25600],
      [`${B}/single-stream0.mp4`, '52412-97220', 25600n, 25600],
      [`${B}/single-stream0.mp4`, '97221-130000', 51200n, 25600],
    ]);
    expect(v.segments.map((s) => [s.number, s.start])).toEqual([
      [1, 0],
      [2, 2],
      [3, 4],
    ]);
  });

  it('times SegmentURLs with a SegmentTimeline and keeps the first segment (ffmpeg drops it)', () => {
    const { representations } = resolveText(
      mpdText(
        `<Period duration="PT5S"><AdaptationSet mimeType="audio/mp4"><Representation id="a" bandwidth="1">
          <SegmentList timescale="48000" startNumber="7">
            <Initialization sourceURL="init.mp4"/>
            <SegmentTimeline><S t="0" d="96000" r="1"/><S d="48000"/></SegmentTimeline>
            <SegmentURL media="a-7.m4s"/><SegmentURL media="a-8.m4s"/><SegmentURL media="a-9.m4s"/>
          </SegmentList></Representation></AdaptationSet></Period>`,
      ),
    );
    const a = only(representations, 'a');
    expect(a.init).toEqual({ url: `${B}/init.mp4` });
    expect(rows(a.segments)).toEqual([
      [`${B}/a-7.m4s`, null, 0n, 96000],
      [`${B}/a-8.m4s`, null, 96000n, 96000],
      [`${B}/a-9.m4s`, null, 192000n, 48000],
    ]);
    expect(a.segments.map((s) => s.number)).toEqual([7, 8, 9]);
  });

  it('gives each segment its Index Segment: SegmentURL@index, @indexRange of @index or of the segment itself (5.3.9.3.2)', () => {
    const { representations } = resolveText(
      mpdText(
        `<Period duration="PT6S"><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1">
          <SegmentList timescale="1" duration="2">
            <SegmentURL media="s1.m4s" index="s1.sidx"/>
            <SegmentURL media="s2.m4s" index="idx.bin" indexRange="100-199"/>
            <SegmentURL media="s3.m4s" indexRange="0-43"/>
          </SegmentList></Representation></AdaptationSet></Period>`,
      ),
    );
    expect(only(representations, 'v').segments.map((s) => [s.url, s.index])).toEqual([
      [`${B}/s1.m4s`, { url: `${B}/s1.sidx` }],
      [`${B}/s2.m4s`, { url: `${B}/idx.bin`, range: { first: 100, last: 199 } }],
      [`${B}/s3.m4s`, { url: `${B}/s3.m4s`, range: { first: 0, last: 43 } }],
    ]);
  });

  it('inherits the SegmentURLs of an AdaptationSet-level SegmentList', () => {
    const { representations } = resolveText(
      mpdText(
        `<Period duration="PT4S"><AdaptationSet mimeType="video/mp4">
          <SegmentList duration="2"><SegmentURL media="s1.ts"/><SegmentURL media="s2.ts"/></SegmentList>
          <Representation id="low" bandwidth="1"><BaseURL>low/</BaseURL></Representation>
          <Representation id="high" bandwidth="2"><BaseURL>high/</BaseURL></Representation>
        </AdaptationSet></Period>`,
      ),
    );
    expect(only(representations, 'low').segments.map((s) => s.url)).toEqual([
      `${B}/low/s1.ts`,
      `${B}/low/s2.ts`,
    ]);
    expect(only(representations, 'high').segments.map((s) => s.url)).toEqual([
      `${B}/high/s1.ts`,
      `${B}/high/s2.ts`,
    ]);
  });

  it('warns when the timeline and the URLs disagree, and uses what both have', () => {
    const { representations } = resolveText(
      mpdText(
        `<Period duration="PT10S"><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1">
          <SegmentList timescale="1"><SegmentTimeline><S t="0" d="2" r="4"/></SegmentTimeline>
            <SegmentURL media="1"/><SegmentURL media="2"/><SegmentURL media="3"/></SegmentList>
        </Representation></AdaptationSet></Period>`,
      ),
    );
    const v = only(representations, 'v');
    expect(v.segments.map((s) => s.url)).toEqual([`${B}/1`, `${B}/2`, `${B}/3`]);
    expect(v.warnings.map((w) => w.code)).toEqual(['MPD_SEGMENT_LIST_MISMATCH']);
  });

  it('lasts the Period with one SegmentURL and no timing; several without timing are an MpdError', () => {
    const one = resolveText(
      mpdText(
        `<Period duration="PT9S"><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1">
          <SegmentList><SegmentURL media="whole.mp4"/></SegmentList></Representation></AdaptationSet></Period>`,
      ),
    );
    expect(rows(only(one.representations, 'v').segments)).toEqual([[`${B}/whole.mp4`, null, 0n, 9]]);
    expect(() =>
      resolveText(
        mpdText(
          `<Period duration="PT9S"><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1">
            <SegmentList><SegmentURL media="a"/><SegmentURL media="b"/></SegmentList></Representation></AdaptationSet></Period>`,
        ),
      ),
    ).toThrowError(MpdError);
  });
});

describe('a Representation with only a BaseURL (ISO/IEC 23009-1 5.3.9.1)', () => {
  it('is one segment, the whole file, lasting the Period (mpd-parser gives no segment)', () => {
    const { representations } = resolveText(
      mpdText(
        `<Period duration="PT12.5S"><AdaptationSet mimeType="text/vtt" lang="en"><Representation id="subs" bandwidth="256">
          <BaseURL>subs/en.vtt</BaseURL></Representation></AdaptationSet></Period>`,
      ),
    );
    const subs = only(representations, 'subs');
    expect(subs.init).toBeNull();
    expect(subs.timescale).toBe(1000);
    expect(rows(subs.segments)).toEqual([[`${B}/subs/en.vtt`, null, 0n, 12500]]);
    expect(subs.segments[0]?.number).toBeUndefined();
  });

  it('is no segment, with a warning, when there is no BaseURL either (not the manifest itself)', () => {
    const { representations } = resolveText(
      mpdText(
        `<Period duration="PT5S"><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
      ),
    );
    const v = only(representations, 'v');
    expect(v.segments).toEqual([]);
    expect(v.warnings.map((w) => w.code)).toEqual(['MPD_NO_SEGMENT_INFO']);
  });
});
