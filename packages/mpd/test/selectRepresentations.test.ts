import { describe, expect, it } from 'vitest';
import {
  parseMpd,
  parseSelection,
  type RepresentationSelection,
  selectRepresentations,
} from '../src/index.js';
import { MANIFEST_URL, mpdText } from './helpers/resolve.js';

const mpd = parseMpd(
  mpdText(
    `<Period id="1" duration="PT10S">
      <AdaptationSet contentType="video" mimeType="video/mp4">
        <Representation id="v360" bandwidth="800000"/><Representation id="v1080" bandwidth="5000000"/><Representation id="v720" bandwidth="2500000"/>
      </AdaptationSet>
      <AdaptationSet contentType="audio" mimeType="audio/mp4" lang="en-US">
        <Representation id="a-en-64" bandwidth="64000"/><Representation id="a-en-128" bandwidth="128000"/>
      </AdaptationSet>
      <AdaptationSet mimeType="audio/mp4" lang="fr"><Representation id="a-fr" bandwidth="96000"/></AdaptationSet>
      <AdaptationSet mimeType="text/vtt" lang="fr"><Representation id="t-fr" bandwidth="100"/></AdaptationSet>
    </Period>`,
    'type="static" mediaPresentationDuration="PT10S"',
  ),
  { url: MANIFEST_URL },
);

const ids = (selection?: RepresentationSelection) =>
  selectRepresentations(mpd, selection).map((selected) => selected.representation.id);

describe('selectRepresentations', () => {
  it('keeps every Representation by default, in manifest order', () => {
    expect(ids()).toEqual(['v360', 'v1080', 'v720', 'a-en-64', 'a-en-128', 'a-fr', 't-fr']);
  });

  it('selects by id, content type, language (prefix), and best or worst bandwidth per content type', () => {
    expect(ids({ ids: ['v720', 'a-fr'] })).toEqual(['v720', 'a-fr']);
    expect(ids({ contentTypes: ['audio'] })).toEqual(['a-en-64', 'a-en-128', 'a-fr']);
    expect(ids({ languages: ['en'] })).toEqual(['v360', 'v1080', 'v720', 'a-en-64', 'a-en-128']);
    expect(ids({ bandwidth: 'best' })).toEqual(['v1080', 'a-en-128', 't-fr']);
    expect(ids({ bandwidth: 'worst' })).toEqual(['v360', 'a-en-64', 't-fr']);
    expect(ids({ bandwidth: 'best', languages: ['fr'] })).toEqual(['v1080', 'a-fr', 't-fr']);
    expect(ids({ contentTypes: ['video'], bandwidth: 'worst' })).toEqual(['v360']);
    expect(ids({ ids: ['nope'] })).toEqual([]);
  });
});

describe('parseSelection', () => {
  it('reads command-line words', () => {
    expect(parseSelection(['best'])).toEqual({ bandwidth: 'best' });
    expect(parseSelection(['video', 'type:audio,text', 'id:1,2', 'id=3', 'lang:fr', 'worst'])).toEqual({
      contentTypes: ['video', 'audio', 'text'],
      ids: ['1', '2', '3'],
      languages: ['fr'],
      bandwidth: 'worst',
    });
    expect(ids(parseSelection(['audio', 'best']))).toEqual(['a-en-128']);
  });

  it('refuses a word it cannot read, as a TypeError naming it', () => {
    expect(() => parseSelection(['biggest'])).toThrow(
      new TypeError(
        'Expected `select` to be best, worst, video/audio/text/image, type:T, id:ID or lang:L, got `"biggest"` (string)',
      ),
    );
    expect(() => parseSelection(['id:'])).toThrow(TypeError);
  });
});
