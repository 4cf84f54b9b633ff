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
 * on disk: the AAC encoders start on the first chunks of their part while
 * later ones download. It resolves once the format is known (the first
 * readable chunk's header, in start order).
 *
 * Why the samples read are final: the planner places chunk i at output
 * frame p_i = round((startTime_i - window.start) * sampleRate) and, at
 * every frame, takes the chunk that started last among those covering it
 * (`planAudioTimeline`), so frames [c, t) depend only on the chunks that
 * start before t and end after c. A chunk's end is at most p_i plus its
 * file's size in sample frames (`WavChunk.bytes`, known from the listing):
 * a read at c waits until every chunk that starts before its next frames
 * and may end after c has its header read, plans the chunks known, and
 * reads. Same chunks, same samples, whichever order the downloads finish
 * in; an encoder reading the second half waits for the second half only.
 *
 * Headers are read as their chunks become ready, at most `HEADER_READS` at
 * once, and checked in start order (strict damage, one format), so that
 * the failure is the same whatever the arrival order.
 */
export async function streamWavJoin(options: StreamWavJoinOptions): Promise<WavJoinStream> {
  const { chunks, window, signal } = options;
  const names = checkJoinOptions(options);
  const order = chunks
    .map((_, index) => index)
    .sort((a, b) => (chunks[a]?.startTime ?? 0) - (chunks[b]?.startTime ?? 0) || a - b);
  const count = order.length;
  const inspected: (InspectedChunk | undefined)[] = new Array(count);
  let first: WavInfo | undefined;
  let failure: { error: unknown } | undefined;
  let changed = deferred();
  const notify = () => {
    const current = changed;
    changed = deferred();
    current.resolve();
  };
  const fail = (error: unknown) => {
    failure ??= { error };
    notify();
  };

  // Each header is read once its chunk is ready, HEADER_READS at a time, first come first served.
  const waitingReads: (() => void)[] = [];
  let reading = 0;
  const readHeader = async (index: number) => {
    await options.ready(index);
    if (reading >= HEADER_READS) await new Promise<void>((resolve) => waitingReads.push(resolve));
    reading++;
    try {
      signal?.throwIfAborted();
      return await inspectWavChunk(chunks[index] as (typeof chunks)[number], names[index] as string);
    } finally {
      reading--;
      waitingReads.shift()?.();
    }
  };
  const headers = order.map((index) => {
    const header = readHeader(index).then((chunk) => {
      inspected[index] = chunk;
      notify();
      return chunk;
    });
    header.catch(() => {}); // checked in order below
    return header;
  });
  /** Chunks checked so far, in `order`. */
  let checked = 0;
  const checking = (async () => {
    for (let k = 0; k < count; k++) {
      const index = order[k] as number;
      const chunk = await (headers[k] as Promise<InspectedChunk>);
      checkDamage(chunks[index], chunk, options.strict);
      if (chunk.info !== undefined) {
        if (first === undefined) first = chunk.info;
        else checkFormat(first, chunk.info);
      }
      checked = k + 1;
      notify();
    }
    if (first === undefined) throw noReadableChunk(inspected.filter((chunk) => chunk !== undefined));
    return first.format;
  })();
  checking.catch(fail);
  const join = checking.then((format) =>
    planInspected(options, names, inspected as InspectedChunk[], format),
  );
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
  /** Output frame of each chunk's first sample (planAudioTimeline's placement), in `order`. */
  const starts = order.map((index) =>
    Math.round(((chunks[index] as (typeof chunks)[number]).startTime - window.start) * rate),
  );
  /** Past the last frame each chunk may cover: its file in sample frames (no size known: no bound). */
  const maxEnds = order.map((index, k) => {
    const bytes = (chunks[index] as (typeof chunks)[number]).bytes;
    return bytes === undefined
      ? Number.POSITIVE_INFINITY
      : (starts[k] as number) + Math.floor(bytes / format.blockAlign);
  });
  // A read waits for at least this much more audio before planning again: at most about 200 plans per read.
  const step = Math.max(5 * rate, Math.ceil(total / 200));
  const planKnown = (below: number) => {
    const known: { info: WavInfo; startTime: number }[] = [];
    for (let k = 0; k < count && (starts[k] as number) < below; k++) {
      const index = order[k] as number;
      const info = inspected[index]?.info;
      if (info !== undefined)
        known.push({ info, startTime: (chunks[index] as (typeof chunks)[number]).startTime });
    }
    const plan = planAudioTimeline({
      chunks: known.map(({ info, startTime }) => ({ name: info.name, startTime, frames: info.frames })),
      sampleRate: rate,
      window,
    });
    return { pieces: plan.pieces, offsets: pieceOffsets(plan.pieces), infos: known.map(({ info }) => info) };
  };
  return {
    format,
    samples: total,
    name: chunks.length === 1 ? (names[0] ?? '') : `${chunks.length} WAV chunks`,
    join,
    async *read(from, to, readSignal) {
      let cursor = Math.max(0, from);
      const end = Math.min(to, total);
      // Chunks before `head` (in `order`) are settled for this read: their header is read, or
      // they end before `cursor` whatever it says. Both stay true as `cursor` grows.
      let head = 0;
      /** Frames below this are final for a read at `cursor` (see above). */
      const frontier = () => {
        while (
          head < count &&
          (inspected[order[head] as number] !== undefined || (maxEnds[head] as number) <= cursor)
        ) {
          head++;
        }
        return head >= count ? end : Math.min(end, Math.max(cursor, starts[head] as number));
      };
      while (cursor < end) {
        const target = Math.min(end, cursor + step);
        await until(() => frontier() >= target, readSignal);
        const upTo = frontier();
        const { pieces, offsets, infos } = planKnown(upTo);
        yield* readPieces(pieces, offsets, infos, format, cursor, upTo, readSignal);
        cursor = upTo;
      }
      // Strict: a damaged chunk that starts before `end` fails this read too, also one the read
      // did not wait for (its listed size put it before `cursor`), once its turn to be checked comes.
      if (options.strict)
        await until(() => checked >= count || (starts[checked] as number) >= end, readSignal);
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
