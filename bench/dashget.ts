/**
 * dashget against the floor and against ffmpeg, on one DASH presentation
 * served on loopback: 300 s of two H.264 renditions (1280x720 2.8 Mbit/s,
 * 640x360 1 Mbit/s) and AAC stereo in 2-s segments (453 files, about 150 MB),
 * made once by ffmpeg (`-f dash`, libx264 ultrafast) and cached under the
 * OS temp dir.
 *
 *   pnpm bench dashget [--runs 3] [--breakdown] [--skip-build] [--prepare]
 *
 * `--prepare` only makes the dataset; `--only curl,ffmpeg` runs some of the tools. *
 * Served by nginx when it is installed (Debian: `apt-get install -y nginx`),
 * else by @rec/test-support's harness server (said so in the output: it is
 * Node, slower than nginx, so every ratio moves). In one run, `--runs` times
 * each, in turns:
 *   - dashget as users install it (the built CLI, `pnpm build` first), `-t 8`;
 *   - the floor: `curl --parallel --parallel-max 8` over the same URLs (the
 *     manifest, every init and media segment: the list @rec/mpd resolves);
 *   - `ffmpeg -i URL -map 0 -c copy out.mkv`.
 * Prints the median wall time, CPU time and peak RSS of each, dashget's RSS
 * over its run (flat or growing), and ends with `dashget: ... ratio=<dashget / curl>`.
 * Targets: within 1.5x of curl, faster than ffmpeg, flat RSS. When dashget
 * misses 1.5x (or with `--breakdown`) it measures where the time goes, in
 * this process over the same URLs with 8 workers (medians of `--runs`): Node's own HTTP client,
 * undici's `request` on an Agent, fetch (undici), got, and each writing the files or not; the
 * same job by a minimal script in a fresh process (node:http, undici), plus Node's start-up.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { downloadFiles, planDownload } from '@rec/dashget';
import { parseMpd, resolveMpd } from '@rec/mpd';
import { resolveFfmpeg } from '@rec/mux';
import { startHttpServer, testAudioEncoder, testMediaInput, testVideoEncoder } from '@rec/test-support';
import got from 'got';
import { parseProcStat } from './procStat.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(tmpdir(), 'rec-bench', 'dashget');
const data = join(work, 'data');
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt === -1 ? 3 : Number(argv[runsAt + 1]);
if (!Number.isSafeInteger(runs) || runs < 1)
  throw new Error(`--runs takes a count from 1 up, got ${argv[runsAt + 1]}`);
const forceBreakdown = argv.includes('--breakdown');
const only = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '').split(',') : undefined;
const skipBuild = argv.includes('--skip-build') || (only !== undefined && !only.includes('dashget'));
const SECONDS = 300;
const THREADS = 8;
const ffmpeg = resolveFfmpeg().path;

interface Run {
  seconds: number;
  /** Peak RSS (VmHWM) in MiB, sampled every 20 ms. */
  rssMb: number;
  /** dashget: RSS (MiB) at each tenth of the run. */
  rssCurve: number[];
  /**
   * CPU seconds (user + system, /proc/<pid>/stat, last sample before the exit): on a shared
   * machine the wall time says how busy it was, the CPU time what the tool itself cost.
   */
  cpuSeconds: number;
}

/** Runs a command, sampling /proc/<pid>/status while it runs; rejects on a non-zero exit. */
function measure(command: string, args: string[], options: { cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const samples: { at: number; rss: number; hwm: number }[] = [];
    let cpuSeconds = 0;
    const sample = async () => {
      const [status, stat] = await Promise.all([
        readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => ''),
        readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => ''),
      ]);
      const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
      if (status)
        samples.push({ at: performance.now() - started, rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 });
      const own = parseProcStat(stat)?.cpu ?? 0;
      if (own > cpuSeconds) cpuSeconds = own;
    };
    const timer = setInterval(sample, 20);
    child.once('error', reject);
    child.once('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(timer);
      if (code !== 0) {
        reject(new Error(`${command} exited ${code}: ${stderr}`));
        return;
      }
      const rssCurve = Array.from({ length: 10 }, (_, i) => {
        const at = ((i + 1) / 10) * seconds * 1000;
        return samples.findLast((s) => s.at <= at)?.rss ?? 0;
      });
      resolve({ seconds, rssMb: Math.max(0, ...samples.map((s) => s.hwm)), rssCurve, cpuSeconds });
    });
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

async function treeSize(dir: string, only?: RegExp): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for await (const file of walk(dir)) {
    if (only && !only.test(file)) continue;
    files++;
    bytes += (await stat(file)).size;
  }
  return { files, bytes };
}

// The dataset, once.
const marker = join(work, 'data.complete');
if (!existsSync(marker)) {
  await rm(data, { recursive: true, force: true });
  await mkdir(data, { recursive: true });
  console.log(`bench/dashget: encoding ${SECONDS} s of 2 renditions + audio (once, cached in ${data})...`);
  await measure('nice', [
    ...['-n', '10', ffmpeg, '-hide_banner', '-nostdin', '-v', 'error', '-y'],
    ...testMediaInput({ seconds: SECONDS, video: { size: '1280x720' }, audio: { beepFactor: 4 } }),
    ...['-map', '0:v', '-map', '0:v', '-map', '1:a'],
    ...testVideoEncoder({ preset: 'ultrafast', gop: 50 }),
    ...['-b:v:0', '2800k', '-maxrate:v:0', '2800k', '-bufsize:v:0', '2800k'],
    ...['-b:v:1', '1000k', '-maxrate:v:1', '1000k', '-bufsize:v:1', '1000k', '-s:v:1', '640x360'],
    ...testAudioEncoder({ channels: 2, codec: 'aac', bitrate: '128k' }),
    ...['-f', 'dash', '-seg_duration', '2', '-use_template', '1', '-use_timeline', '0'],
    ...['-init_seg_name', 'init-$RepresentationID$.m4s'],
    ...['-media_seg_name', 'chunk-$RepresentationID$-$Number%05d$.m4s'],
    ...['-adaptation_sets', 'id=0,streams=v id=1,streams=a'],
    join(data, 'manifest.mpd'),
  ]);
  await writeFile(marker, '');
}
const dataset = await treeSize(data);
if (argv.includes('--prepare')) {
  console.log(`bench/dashget: ${dataset.files} files, ${(dataset.bytes / 1e6).toFixed(1)} MB in ${data}`);
  process.exit(0);
}

// The server: nginx when installed, else the harness.
let serverUrl: string;
let server: string;
let stopServer: () => Promise<void>;
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
if (nginx) {
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const prefix = join(work, 'nginx');
  await mkdir(join(prefix, 'logs'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  await writeFile(
    conf,
    `worker_processes 1;
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs/error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  types { application/dash+xml mpd; video/mp4 m4s; }
  server { listen 127.0.0.1:${port}; root ${data}; }
}
`,
  );
  const child = spawn(nginx, ['-p', prefix, '-c', conf], { stdio: 'inherit' });
  serverUrl = `http://127.0.0.1:${port}`;
  server = `nginx (${nginx}, 1 worker)`;
  stopServer = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  for (let i = 0; ; i++) {
    const up = await fetch(`${serverUrl}/manifest.mpd`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (i > 50) throw new Error('nginx did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
} else {
  const harness = await startHttpServer({ root: data });
  serverUrl = harness.url;
  server = '@rec/test-support harness server (nginx is not installed: apt-get install -y nginx)';
  stopServer = () => harness.stop();
}
console.log(
  `bench/dashget: ${dataset.files} files, ${(dataset.bytes / 1e6).toFixed(1)} MB, served by ${server}`,
);

try {
  const manifestUrl = `${serverUrl}/manifest.mpd`;
  // The floor's URL list, from the MPD as @rec/mpd resolves it.
  const resolved = await resolveMpd(
    parseMpd(await readFile(join(data, 'manifest.mpd')), { url: manifestUrl }),
  );
  const urls = [manifestUrl];
  for (const period of resolved.periods)
    for (const set of period.adaptationSets)
      for (const rep of set.representations) {
        if (rep.init) urls.push(rep.init.url);
        for (const segment of rep.segments) urls.push(segment.url);
      }
  console.log(
    `bench/dashget: ${urls.length} URLs (the manifest, ${urls.length - 1} init and media segments)`,
  );

  if (!skipBuild) {
    console.log('bench/dashget: building dashget and its packages (pnpm build)...');
    const pnpm = process.env.npm_execpath;
    const filter = ['--filter', '@rec/dashget...', 'build'];
    await (pnpm && /\.c?js$/.test(pnpm)
      ? measure(process.execPath, [pnpm, ...filter], { cwd: root })
      : measure('npx', ['-y', 'pnpm@10.34.9', ...filter], { cwd: root }));
  }
  const cli = join(root, 'apps/dashget/dist/cli.js');

  const curlConfig = join(work, 'curl.cfg');
  const curlOut = join(work, 'out-curl');
  await writeFile(
    curlConfig,
    urls.map((url) => `url = "${url}"\noutput = "${join(curlOut, new URL(url).pathname)}"\n`).join(''),
  );
  const tools = {
    dashget: {
      out: join(work, 'out-dashget'),
      run: (out: string) => measure(process.execPath, [cli, manifestUrl, '-t', String(THREADS), '-o', out]),
    },
    curl: {
      out: curlOut,
      run: () =>
        measure('curl', [
          ...['--parallel', '--parallel-max', String(THREADS), '--create-dirs', '--fail', '-sS'],
          ...['-K', curlConfig],
        ]),
    },
    ffmpeg: {
      out: join(work, 'out-ffmpeg'),
      run: async (out: string) => {
        await mkdir(out, { recursive: true });
        return measure(ffmpeg, [
          ...['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', manifestUrl],
          ...['-map', '0', '-c', 'copy', join(out, 'out.mkv')],
        ]);
      },
    },
  } as const;
  type Tool = keyof typeof tools;
  const results: Record<Tool, Run[]> = { dashget: [], curl: [], ffmpeg: [] };
  const selected = (Object.keys(tools) as Tool[]).filter((name) => only === undefined || only.includes(name));

  // A warm-up pass of the floor: every run reads from the page cache.
  await rm(curlOut, { recursive: true, force: true });
  await tools.curl.run();
  for (let round = 0; round < runs; round++) {
    for (const name of selected) {
      const tool = tools[name];
      await rm(tool.out, { recursive: true, force: true });
      const run = await tool.run(tool.out);
      results[name].push(run);
      console.log(
        `bench/dashget: run ${round + 1} ${name} ${run.seconds.toFixed(2)} s, CPU ${run.cpuSeconds.toFixed(2)} s, peak RSS ${run.rssMb.toFixed(0)} MB`,
      );
    }
  }
  const seconds = (name: Tool) => median(results[name].map((run) => run.seconds));
  const rss = (name: Tool) => median(results[name].map((run) => run.rssMb));
  const cpu = (name: Tool) => median(results[name].map((run) => run.cpuSeconds));
  if (!selected.includes('dashget')) {
    for (const name of selected) {
      console.log(
        `bench/dashget: ${name} median ${seconds(name).toFixed(2)} s, peak RSS ${rss(name).toFixed(0)} MB`,
      );
    }
    if (forceBreakdown) await breakdown(urls, cli);
  } else {
    // Every segment, byte for byte as many (the saved MPD may be rewritten to play offline).
    const saved = await treeSize(tools.dashget.out, /\.m4s$/);
    const floor = await treeSize(curlOut, /\.m4s$/);
    if (saved.bytes !== floor.bytes || saved.files !== floor.files) {
      throw new Error(
        `dashget saved ${saved.files} files / ${saved.bytes} bytes, curl ${floor.files} / ${floor.bytes}`,
      );
    }
    const curve = results.dashget.at(-1)?.rssCurve ?? [];
    const curlRatio = seconds('dashget') / seconds('curl');
    const ffmpegRatio = seconds('dashget') / seconds('ffmpeg');
    console.log(
      `bench/dashget: dashget RSS over its last run (MB, each tenth): ${curve.map((mb) => mb.toFixed(0)).join(' ')}`,
    );
    if (curlRatio > 1.5 || forceBreakdown) await breakdown(urls, cli);
    console.log(
      `dashget: files=${urls.length} mb=${(dataset.bytes / 1e6).toFixed(1)} server=${nginx ? 'nginx' : 'harness'} runs=${runs} ` +
        `dashget=${seconds('dashget').toFixed(2)}s curl=${seconds('curl').toFixed(2)}s ffmpeg=${seconds('ffmpeg').toFixed(2)}s ` +
        `vs_ffmpeg=${ffmpegRatio.toFixed(2)} rss_mb=${rss('dashget').toFixed(0)}/${rss('curl').toFixed(0)}/${rss('ffmpeg').toFixed(0)} ` +
        `cpu_s=${cpu('dashget').toFixed(2)}/${cpu('curl').toFixed(2)}/${cpu('ffmpeg').toFixed(2)} ` +
        `ratio=${curlRatio.toFixed(2)}`,
    );
  }
} finally {
  await stopServer();
}

/**
 * Where dashget's time goes, in this process over the same URLs with
 * THREADS workers: the HTTP client alone (body discarded) and with the
 * files written, for node:http, undici's `request` (the copy apps/dashget
 * resolves, when installed: the workspace root does not depend on it),
 * fetch and got; dashget's downloadFiles; a minimal script with node:http and with
 * undici in a fresh process each (the CLI's situation); and Node's start-up
 * with and without loading the CLI.
 */
async function breakdown(urls: string[], cli: string) {
  const target = join(work, 'out-breakdown');
  const pool = async (fetchOne: (url: string, file: string | undefined) => Promise<void>, write: boolean) => {
    await rm(target, { recursive: true, force: true });
    if (write)
      for (const dir of new Set(urls.map((url) => dirname(join(target, new URL(url).pathname)))))
        await mkdir(dir, { recursive: true });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: THREADS }, async () => {
        while (next < urls.length) {
          const url = urls[next++] as string;
          await fetchOne(url, write ? join(target, new URL(url).pathname) : undefined);
        }
      }),
    );
    return (performance.now() - started) / 1000;
  };
  const sink = (file: string | undefined) =>
    file ? createWriteStream(file) : new Writable({ write: (_chunk, _encoding, done) => done() });
  const agent = new Agent({ keepAlive: true, maxSockets: THREADS });
  const nodeHttp = (url: string, file: string | undefined) =>
    new Promise<void>((resolve, reject) => {
      get(url, { agent }, (response) => {
        pipeline(response, sink(file)).then(resolve, reject);
      }).once('error', reject);
    });
  const nodeFetch = async (url: string, file: string | undefined) => {
    const response = await fetch(url);
    if (!response.body) throw new Error(`no body for ${url}`);
    await pipeline(response.body, sink(file));
  };
  const undici = await loadUndici();
  const dispatcher = undici ? new undici.Agent({ connections: THREADS }) : undefined;
  const undiciRequest = async (url: string, file: string | undefined) => {
    const { body } = await (undici as Undici).request(url, { dispatcher });
    await pipeline(body, sink(file));
  };
  const client = got.extend({ agent: { http: agent }, decompress: false, retry: { limit: 0 } });
  const gotStream = (url: string, file: string | undefined) => pipeline(client.stream(url), sink(file));
  const rows: [string, number][] = [];
  for (const [name, fetchOne] of [
    ['node:http', nodeHttp],
    ...(undici ? [['undici request', undiciRequest] as const] : []),
    ['fetch (undici)', nodeFetch],
    ['got stream', gotStream],
  ] as const) {
    await pool(fetchOne, false); // warm the sockets
    const discarded: number[] = [];
    const written: number[] = [];
    for (let round = 0; round < runs; round++) {
      discarded.push(await pool(fetchOne, false));
      written.push(await pool(fetchOne, true));
    }
    rows.push([`${name}, body discarded`, median(discarded)]);
    rows.push([`${name}, files written`, median(written)]);
  }
  agent.destroy();
  await dispatcher?.close();
  // dashget's own download loop (planDownload + downloadFiles: node:http, p-queue, .part + rename,
  // the journal), in this process: the CLI's run less its start-up and the manifest's resolution.
  const plan = planDownload(
    await resolveMpd(parseMpd(await readFile(join(data, 'manifest.mpd')), { url: urls[0] as string })),
  );
  const library: number[] = [];
  for (let round = 0; round < runs; round++) {
    await rm(target, { recursive: true, force: true });
    const started = performance.now();
    await downloadFiles(plan, { outputDir: target, threads: THREADS });
    library.push((performance.now() - started) / 1000);
  }
  rows.push([`dashget downloadFiles (${plan.length} files)`, median(library)]);
  // The same job in a fresh process, as a CLI runs it: a minimal script per client, in turns.
  const fresh = await freshProcess(urls, target, undici !== undefined);
  const nodeStart = await measure(process.execPath, ['-e', '0']);
  const cliStart = existsSync(cli) ? await measure(process.execPath, [cli, '--version']) : undefined;
  const dryRun = existsSync(cli)
    ? await measure(process.execPath, [cli, urls[0] as string, '--dry-run'])
    : undefined;
  console.log(
    `bench/dashget: where the time goes (${urls.length} requests, ${THREADS} workers, in-process, medians of ${runs}):`,
  );
  for (const [name, secs] of rows) {
    console.log(
      `bench/dashget:   ${name.padEnd(30)} ${secs.toFixed(2)} s  (${((secs * 1000 * THREADS) / urls.length).toFixed(2)} ms per request per worker)`,
    );
  }
  for (const [name, found] of Object.entries(fresh)) {
    console.log(
      `bench/dashget:   fresh process, ${name.padEnd(15)} ${median(found.map((run) => run.seconds)).toFixed(2)} s, ` +
        `CPU ${median(found.map((run) => run.cpuSeconds)).toFixed(2)} s, peak RSS ${median(found.map((run) => run.rssMb)).toFixed(0)} MB`,
    );
  }
  console.log(
    `bench/dashget:   node start-up ${nodeStart.seconds.toFixed(2)} s; node + dashget CLI loaded (--version) ` +
      `${cliStart?.seconds.toFixed(2) ?? '(not built)'} s; + the manifest fetched and resolved (--dry-run) ` +
      `${dryRun?.seconds.toFixed(2) ?? '(not built)'} s`,
  );
}

/** The part of undici the breakdown uses. */
interface Undici {
  Agent: new (options: { connections: number }) => { close(): Promise<void> };
  request(url: string, options: { dispatcher: unknown }): Promise<{ body: Readable }>;
}

/** undici where apps/dashget resolves it (the workspace root does not depend on it); undefined when it is not installed. */
async function loadUndici(): Promise<Undici | undefined> {
  const require = createRequire(join(root, 'apps/dashget/package.json'));
  let path: string;
  try {
    path = require.resolve('undici');
  } catch {
    return undefined;
  }
  return (await import(pathToFileURL(path).href)) as Undici;
}

/**
 * A minimal downloader in a fresh Node process (THREADS workers over
 * `urls`, each body gathered and written with one `writev`, as dashget's
 * PartWriter does), with node:http and with undici's `request`, in turns,
 * `runs` times each: what a client costs in a process as short as a CLI's,
 * JIT warm-up and first allocations included.
 */
async function freshProcess(
  urls: string[],
  target: string,
  withUndici: boolean,
): Promise<Record<string, Run[]>> {
  const script = join(work, 'fresh-download.mjs');
  const list = join(work, 'fresh-urls.json');
  await writeFile(list, JSON.stringify(urls));
  await writeFile(
    script,
    `import { closeSync, mkdirSync, openSync, readFileSync, writevSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
const [client, out, list, from] = process.argv.slice(2);
const urls = JSON.parse(readFileSync(list, 'utf8'));
for (const dir of new Set(urls.map((url) => dirname(join(out, new URL(url).pathname))))) mkdirSync(dir, { recursive: true });
const save = async (url, body) => {
  const chunks = [];
  for await (const chunk of body) chunks.push(chunk);
  const fd = openSync(join(out, new URL(url).pathname), 'w');
  writevSync(fd, chunks);
  closeSync(fd);
};
let fetchOne;
if (client === 'node:http') {
  const agent = new Agent({ keepAlive: true, maxSockets: ${THREADS} });
  fetchOne = (url) => new Promise((resolve, reject) => get(url, { agent }, (response) => save(url, response).then(resolve, reject)).once('error', reject));
} else {
  const undici = createRequire(from)('undici');
  const dispatcher = new undici.Agent({ connections: ${THREADS} });
  fetchOne = async (url) => save(url, (await undici.request(url, { dispatcher })).body);
}
let next = 0;
await Promise.all(Array.from({ length: ${THREADS} }, async () => { while (next < urls.length) await fetchOne(urls[next++]); }));
process.exit(0);
`,
  );
  const clients = withUndici ? ['node:http', 'undici request'] : ['node:http'];
  const found: Record<string, Run[]> = Object.fromEntries(clients.map((client) => [client, []]));
  for (let round = 0; round < runs; round++) {
    for (const client of clients) {
      await rm(target, { recursive: true, force: true });
      found[client]?.push(
        await measure(process.execPath, [
          script,
          client,
          target,
          list,
          join(root, 'apps/dashget/package.json'),
        ]),
      );
    }
  }
  return found;
}
