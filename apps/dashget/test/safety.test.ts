import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type HttpTestServer, makeTempDir, startHttpServer, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from './helpers/dashMedia.js';
import { runDashget } from './helpers/runDashget.js';

const template = (media: string, base = '') => `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S">
  ${base}<Period><AdaptationSet contentType="video" mimeType="video/mp4">
    <SegmentTemplate media="${media}" duration="2" timescale="1"/>
    <Representation id="v" bandwidth="1000"/>
  </AdaptationSet></Period>
</MPD>`;

let server: HttpTestServer;
let work: TempDir;

beforeAll(async () => {
  work = await makeTempDir('dashget-safety-');
  server = await startHttpServer({
    files: {
      '/a/b/file.mpd': template('file:///etc/passwd$Number$'),
      '/a/b/escape.mpd': template('../../x$Number$.m4s'),
      '/a/b/encoded.mpd': template('%2e%2e/%2e%2e/y$Number$.m4s'),
      '/a/b/absolute.mpd': template('/abs/z$Number$.m4s'),
      '/a/b/base.mpd': template('w$Number$.m4s', '<BaseURL>../../</BaseURL>'),
      ...Object.fromEntries(
        ['/x1.m4s', '/x2.m4s', '/y1.m4s', '/y2.m4s', '/abs/z1.m4s', '/abs/z2.m4s', '/w1.m4s', '/w2.m4s'].map(
          (p) => [p, `bytes of ${p}`],
        ),
      ),
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await work?.remove();
});

describe('a manifest never makes dashget write outside the output directory', () => {
  it('a file: segment URL in an http manifest: exit 2 with MPD_UNSAFE_URL, nothing written', async () => {
    const out = join(work.path, 'file', 'out');
    const run = await runDashget(`${server.url}/a/b/file.mpd`, '-o', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^dashget: the file: scheme is refused .*\[MPD_UNSAFE_URL\]\n$/);
    expect(await readdir(join(work.path, 'file')).catch(() => [])).toEqual([]);
  });

  it('../../, encoded %2e%2e and absolute paths on the manifest host: saved under the host folder inside DIR', async () => {
    const host = new URL(server.url).host.replace(':', '_');
    for (const [name, files] of [
      ['escape', ['x1.m4s', 'x2.m4s']],
      ['encoded', ['y1.m4s', 'y2.m4s']],
      ['absolute', ['abs/z1.m4s', 'abs/z2.m4s']],
    ] as const) {
      const root = join(work.path, name);
      const out = join(root, 'out');
      const run = await runDashget(`${server.url}/a/b/${name}.mpd`, '-o', out);
      expect(run.code, run.stderr).toBe(0);
      expect(await readdir(root)).toEqual(['out']);
      expect(await listFiles(out)).toEqual([...files.map((file) => `${host}/${file}`), `${name}.mpd`].sort());
    }
  });

  it('a BaseURL above the manifest: files under the host folder, the saved BaseURL pointing there', async () => {
    const out = join(work.path, 'base');
    const run = await runDashget(`${server.url}/a/b/base.mpd`, '-o', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    const host = new URL(server.url).host.replace(':', '_');
    expect(await listFiles(out)).toEqual(['base.mpd', `${host}/w1.m4s`, `${host}/w2.m4s`].sort());
    expect(JSON.parse(run.stdout).offlineChanges).toEqual([`BaseURL ../../ -> ${host}/`]);
  });

  it('a file: manifest whose segments climb out of its directory: exit 2, nothing written', async () => {
    const dir = join(work.path, 'local', 'm');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'm.mpd'), template('../../secret$Number$.m4s'));
    const out = join(work.path, 'local', 'out');
    const run = await runDashget(pathToFileURL(join(dir, 'm.mpd')).href, '-o', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\[MPD_UNSAFE_URL\]\n$/);
    expect(await readdir(join(work.path, 'local'))).toEqual(['m']);
  });
});
