/**
 * The recorder demo: an embedded S3 server holding the committed demo
 * segments (fixtures/demo), the recorder run on a window inside them, and a
 * look at what it wrote. Needs nothing but `pnpm install` (ffmpeg comes from npm).
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probe, startS3Server } from '@rec/test-support';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'fixtures/demo');
const output = join(root, 'demo-output/recording.mp4');
const bucket = 'demo';
const prefix = 'recordings/cam01';
// 50 s starting mid-segment; the segment at 1700000020 is missing (a 2-s gap).
const start = '2023-11-14T22:13:25.500Z'; // 1700000005.5
const end = '1700000055';

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith('.h264') || entry.name.endsWith('.wav')) yield path;
  }
}

const s3 = await startS3Server();
try {
  await s3.createBucket(bucket);
  const objects: [string, Uint8Array][] = [];
  for await (const file of walk(fixtures)) objects.push([relative(fixtures, file), await readFile(file)]);
  await s3.putObjects(bucket, objects);
  console.log(
    `demo: embedded S3 at ${s3.endpoint}, bucket "${bucket}": ${objects.length} segments under ${prefix}/`,
  );

  const args = [
    '--endpoint',
    s3.endpoint,
    '--force-path-style',
    '--region',
    'us-east-1',
    '--bucket',
    bucket,
    '--prefix',
    prefix,
    '--start',
    start,
    '--end',
    end,
    '-o',
    output,
  ];
  console.log(`demo: recorder ${args.join(' ')}\n`);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'apps/recorder/bin/recorder.js'), ...args], {
      stdio: 'inherit',
      // s3rver accepts this key pair; a real run uses the standard AWS credential chain.
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
      },
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  if (code !== 0) throw new Error(`recorder exited with code ${code}`);

  const { streams, format } = await probe(output, { countFrames: true });
  console.log(
    `\ndemo: ffprobe ${relative(root, output)}: ${format.format_name}, ${Number(format.duration).toFixed(3)} s`,
  );
  for (const stream of streams) {
    const detail =
      stream.codec_type === 'video'
        ? `${stream.width}x${stream.height}, ${stream.nb_read_frames} frames`
        : `${stream.sample_rate} Hz, ${stream.channels} ch`;
    console.log(
      `  ${stream.codec_type} ${stream.codec_name}: ${detail}, ${Number(stream.duration).toFixed(3)} s`,
    );
  }
} finally {
  await s3.stop();
}
