import { describe, expect, it } from 'vitest';
import { localPathFor, MpdError } from '../src/index.js';

const manifest = 'https://cdn.example.com/shows/ep1/manifest.mpd';

describe('localPathFor', () => {
  it.each([
    ['https://cdn.example.com/shows/ep1/manifest.mpd', 'manifest.mpd'],
    ['https://cdn.example.com/shows/ep1/video/720p/seg-00001.m4s', 'video/720p/seg-00001.m4s'],
    ['video/init.mp4', 'video/init.mp4'], // relative to the manifest
    ['https://cdn.example.com/shows/ep1/a/../b/./c.m4s', 'b/c.m4s'],
    ['https://cdn.example.com/shows/ep1/my%20file.m4s', 'my%20file.m4s'], // as the URL writes it
    ['https://cdn.example.com/shows/ep1/seg.m4s?token=abc&n=5', 'seg.m4s%3Ftoken=abc&n=5'],
    ['https://cdn.example.com/shows/ep1/a:b*c|d.m4s', 'a%3Ab%2Ac%7Cd.m4s'],
    ['https://cdn.example.com/shows/ep1/100%25.m4s', '100%25.m4s'],
    ['https://cdn.example.com/shows/ep1/con.m4s', '%63on.m4s'], // a Windows device name
    // Outside the manifest's directory: under a folder named after the host.
    ['https://cdn.example.com/shows/ep2/seg.m4s', 'cdn.example.com/shows/ep2/seg.m4s'],
    ['/top/seg.m4s', 'cdn.example.com/top/seg.m4s'],
    ['https://other.example.net:8443/x/seg.m4s', 'other.example.net_8443/x/seg.m4s'],
    ['http://cdn.example.com/shows/ep1/seg.m4s', 'cdn.example.com/shows/ep1/seg.m4s'], // another scheme is another origin
    ['https://[::1]/seg.m4s', '[%3A%3A1]/seg.m4s'],
  ])('%s -> %s', (url, path) => {
    expect(localPathFor(url, manifest)).toBe(path);
  });

  it.each([
    ['https://cdn.example.com/shows/ep1/../../../etc/passwd', 'cdn.example.com/etc/passwd'],
    ['https://cdn.example.com/shows/ep1/%2e%2e/%2e%2e/x', 'cdn.example.com/x'],
    ['https://cdn.example.com/shows/ep1/..%2F..%2Fx', '..%2F..%2Fx'], // one name: slashes stay encoded
    ['https://cdn.example.com/shows/ep1/a\\..\\..\\x', 'cdn.example.com/shows/x'], // backslashes are slashes in http URLs
  ])('never leaves the output directory: %s -> %s', (url, path) => {
    const mapped = localPathFor(url, manifest);
    expect(mapped).toBe(path);
    expect(mapped.split('/')).not.toContain('..');
    expect(mapped.startsWith('/')).toBe(false);
  });

  it.each([
    ['file:///etc/passwd', 'the file: scheme is refused'],
    ['data:video/mp4;base64,AAAA', 'the data: scheme is refused'],
    ['javascript:alert(1)', 'the javascript: scheme is refused'],
    ['ftp://cdn.example.com/shows/ep1/x', 'the ftp: scheme is refused'],
    ['https://cdn.example.com/shows/ep1/', 'it names a directory'],
    ['https://cdn.example.com', 'it names a directory'],
  ])('refuses %s', (url, reason) => {
    let error: unknown;
    try {
      localPathFor(url, manifest);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MpdError);
    expect((error as MpdError).code).toBe('MPD_UNSAFE_URL');
    expect((error as MpdError).message).toContain(reason);
  });

  it('keeps tokens out of its messages', () => {
    expect(() => localPathFor('file:///x?secret=1', manifest)).toThrow(
      /^the file: scheme is refused .*: file:\/\/\/x$/,
    );
  });

  it('takes file: URLs only under a file: manifest’s own directory', () => {
    expect(localPathFor('file:///data/show/seg-1.m4s', 'file:///data/show/manifest.mpd')).toBe('seg-1.m4s');
    expect(() => localPathFor('file:///etc/passwd', 'file:///data/show/manifest.mpd')).toThrow(MpdError);
    expect(localPathFor('https://h.example/seg.m4s', 'file:///data/show/manifest.mpd')).toBe(
      'h.example/seg.m4s',
    );
  });

  it('shortens names too long for a file system, keeping them distinct', () => {
    const long = 'x'.repeat(300);
    const a = localPathFor(`https://cdn.example.com/shows/ep1/${long}a.m4s`, manifest);
    const b = localPathFor(`https://cdn.example.com/shows/ep1/${long}b.m4s`, manifest);
    expect(a.length).toBeLessThanOrEqual(200);
    expect(a).not.toBe(b);
  });
});
