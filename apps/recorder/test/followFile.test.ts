/**
 * A TS output stream gets the recording as it is written (issue 8: "TS
 * streams as it is written"): the follower sends the part file's bytes
 * while the writer is still writing, follows it through the rename, and
 * sends exactly the file.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endStream, followFile } from '../src/followFile.js';

describe('followFile', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir?.remove();
  });

  const collector = () => {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    return { stream, received: () => Buffer.concat(chunks) };
  };

  it('sends what is written while it is written, through the rename, byte for byte', async () => {
    const path = join(dir.path, 'out.ts');
    const part = `${path}.part`;
    const target = collector();
    const follower = followFile({ part, path }, target.stream);
    const written: Buffer[] = [];
    const handle = await open(part, 'w');
    for (let i = 0; i < 8; i++) {
      const block = randomBytes(188 * 1000 + i);
      written.push(block);
      await handle.write(block);
      // The stream gets each block while the writer still holds the file open, before the next one.
      const total = Buffer.concat(written).length;
      for (let waited = 0; target.received().length < total && waited < 5000; waited += 10) await sleep(10);
      expect(target.received().length).toBe(total);
    }
    await handle.close();
    await rename(part, path);
    follower.finish();
    expect(await follower.sent).toBe(Buffer.concat(written).length);
    await endStream(target.stream);
    expect(target.received().equals(await readFile(path))).toBe(true);
    expect(target.stream.writableFinished).toBe(true);
  });

  it('stops with the writer failure: `sent` rejects with it, the stream is left to the caller', async () => {
    const path = join(dir.path, 'failed.ts');
    const target = collector();
    const follower = followFile({ part: `${path}.part`, path }, target.stream);
    await sleep(60);
    const reason = new Error('mux failed');
    follower.stop(reason);
    await expect(follower.sent).rejects.toBe(reason);
    expect(follower.started).toBe(false);
    expect(target.stream.destroyed).toBe(false);
  });
});
