import type { WavInfo } from '../wav/readWavInfo.js';
import {
  checkDamage,
  checkFormat,
  checkJoinOptions,
  HEADER_READS,
  type InspectedChunk,
  inspectWavChunk,
  noReadableChunk,
  type PlanWavJoinOptions,
  pieceOffsets,
  planInspected,
  readPieces,
  type WavJoin,
} from './joinWav.js';
import type { PcmSource } from './PcmSource.js';
import { planAudioTimeline } from './planAudioTimeline.js';

export interface StreamWavJoinOptions extends PlanWavJoinOptions {
  /** Required: the length of the join is known before the chunks are. */
  window: { start: number; end: number };
  /**
   * Resolves once chunk `index`'s file is complete on disk (a download
   * verified and renamed into place); a rejection fails the join with it.
   */
  ready: (index: number) => Promise<void>;
}

/** `planWavJoin`'s samples, readable while the chunks still arrive. */
export interface WavJoinStream extends PcmSource {
  /**
   * The whole join, as `planWavJoin` gives it (gaps, overlaps, damage,
   * warnings), once every chunk's header is read; rejects as `planWavJoin`
   * would (a strict gap, a damaged chunk, two formats).
   */
  readonly join: Promise<WavJoin>;
}

/**
 * The samples of `planWavJoin` over the same chunks, before all of them are
 * on disk: the AAC encoders start on the first chunks while the later ones
 * download. It resolves once the format is known (the first readable
 * chunk's header).
 *
 * Why the early samples are final: the planner places chunk i at output
 * frame p_i = round((startTime_i - window.start) * sampleRate) and, at
 * every frame, takes the chunk that started last among those covering it
 * (`planAudioTimeline`); chunks in start order have p_i non-decreasing, so
 * frames before p_k depend only on the chunks before k. Once the headers
 * of chunks 0..k-1 (in start order) are read, frames [0, p_k) are what the
 * whole plan gives, bytes for bytes: a read waits until its range is below
 * that frontier, plans the known chunks, and reads. Same chunks, same
 * samples, whichever order the downloads finish in.
 *
 * Headers are read in start order, at most `HEADER_READS` at once, each as
 * soon as its chunk is ready. Strict damage and a format mismatch fail at
 * the first chunk (in start order) that has them.
 */
export async function streamWavJoin(options: StreamWavJoinOptions): Promise<WavJoinStream> {
  const { chunks, window, signal } = options;
  const names = checkJoinOptions(options);
  const order = chunks
    .map((_, index) => index)
    .sort((a, b) => (chunks[a]?.startTime ?? 0) - (chunks[b]?.startTime ?? 0) || a - b);
  const count = order.length;
  const inspected: InspectedChunk[] = new Array(count);
  /** Chunks of `order` whose header is read and checked. */
  let known = 0;
  let first: WavInfo | undefined;
  let failure: { error: unknown } | undefined;
  let changed = deferred();
  const notify = () => {
    const current = changed;
    changed = deferred();
    current.resolve();
  };

  const inspections: Promise<InspectedChunk>[] = new Array(count);
  const inspect = (k: number) => {
    if (inspections[k] !== undefined) return;
    const index = order[k] as number;
    const chunk = chunks[index] as (typeof chunks)[number];
    const started = options.ready(index).then(() => {
      signal?.throwIfAborted();
      return inspectWavChunk(chunk, names[index] as string);
    });
    started.catch(() => {}); // awaited in order below
    inspections[k] = started;
  };
  const headers = (async () => {
    for (let k = 0; k < count; k++) {
      for (let ahead = k; ahead < Math.min(count, k + HEADER_READS); ahead++) inspect(ahead);
      const index = order[k] as number;
      const chunk = await (inspections[k] as Promise<InspectedChunk>);
      checkDamage(chunks[index], chunk, options.strict);
      if (chunk.info !== undefined) {
        if (first === undefined) first = chunk.info;
        else checkFormat(first, chunk.info);
      }
      inspected[index] = chunk;
      known = k + 1;
      notify();
    }
    if (first === undefined) throw noReadableChunk(inspected);
    return first.format;
  })();
  headers.catch((error: unknown) => {
    failure = { error };
    notify();
  });
  const join = headers.then((format) => planInspected(options, names, inspected, format));
  join.catch(() => {}); // the caller's

  /** Resolves once `condition()` holds; rejects with the headers' failure or the abort. */
  const until = async (condition: () => boolean, readSignal: AbortSignal | undefined) => {
    for (;;) {
      if (failure) throw failure.error;
      if (condition()) return;
      readSignal?.throwIfAborted();
      await abortable(changed.promise, readSignal);
    }
  };
  await until(() => first !== undefined, signal);
  const format = (first as WavInfo).format;
  const rate = format.sampleRate;
  const total = Math.round((window.end - window.start) * rate); // planAudioTimeline's length
  /** Output frames below this are final (see above). */
  const frontier = () => {
    if (known >= count) return total;
    const next = chunks[order[known] as number]?.startTime ?? window.end;
    return Math.min(total, Math.max(0, Math.round((next - window.start) * rate)));
  };
  let prefix: { known: number; plan: ReturnType<typeof planKnown> } | undefined;
  const planKnown = () => {
    const readable = order.slice(0, known).flatMap((index) => {
      const info = inspected[index]?.info;
      return info === undefined
        ? []
        : [{ info, startTime: (chunks[index] as (typeof chunks)[number]).startTime }];
    });
    const plan = planAudioTimeline({
      chunks: readable.map(({ info, startTime }) => ({ name: info.name, startTime, frames: info.frames })),
      sampleRate: rate,
      window,
    });
    return {
      pieces: plan.pieces,
      offsets: pieceOffsets(plan.pieces),
      infos: readable.map(({ info }) => info),
    };
  };
  // A read waits for at least this much more audio before planning again: at most about 200 plans per read.
  const step = Math.max(30 * rate, Math.ceil(total / 200));
  return {
    format,
    samples: total,
    name: chunks.length === 1 ? (names[0] ?? '') : `${chunks.length} WAV chunks`,
    join,
    async *read(from, to, readSignal) {
      let cursor = Math.max(0, from);
      const end = Math.min(to, total);
      while (cursor < end) {
        const target = Math.min(end, cursor + step);
        await until(() => frontier() >= target, readSignal);
        const upTo = Math.min(end, frontier());
        if (prefix?.known !== known) prefix = { known, plan: planKnown() };
        const { pieces, offsets, infos } = prefix.plan;
        yield* readPieces(pieces, offsets, infos, format, cursor, upTo, readSignal);
        cursor = upTo;
      }
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** `promise`, or the abort's reason first; the listener goes either way. */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
