import { EsWarningCode } from '../EsWarningCode.js';
import { pesTimestampMarkersValid, readPesTimestamp } from './pesTimestamp.js';
import type { TsPes } from './TsReader.js';

/** A PES payload kept with `keepPayload` is dropped (with a warning) beyond this size. */
const MAX_KEPT_PES = 64 * 1024 * 1024;

export interface PesAssemblerOptions {
  /** Keep each PES's elementary stream bytes in `payload`. */
  keepPayload: boolean;
  /** A PES whose header is complete, once it ended (the next start on its PID, its length, a break, the end). */
  onPes: (pes: TsPes) => void;
  warn: (code: EsWarningCode, message: string) => void;
}

interface OpenPes {
  pes: TsPes;
  header: Uint8Array;
  headerFill: number;
  /** 9 + PES_header_data_length once known, else -1. */
  headerLength: number;
  /** Payload bytes received, header included. */
  received: number;
  chunks: Uint8Array[] | undefined;
}

/**
 * Reassembles PES packets (ISO/IEC 13818-1 2.4.3.6) from the payloads of
 * the packets of each elementary stream PID: the header decoded (stream_id,
 * PES_packet_length, PTS/DTS), the payload counted and, on request, kept. A
 * PES ends at the next payload unit start on its PID, when PES_packet_length
 * is reached, at a continuity error, or at the end of the stream.
 */
export class PesAssembler {
  readonly #options: PesAssemblerOptions;
  readonly #open = new Map<number, OpenPes>();

  constructor(options: PesAssemblerOptions) {
    this.#options = options;
  }

  /** A PES is being reassembled on `pid`. */
  has(pid: number): boolean {
    return this.#open.has(pid);
  }

  /** The payload `b[start, end)` of a packet on elementary stream PID `pid`. */
  push(
    pid: number,
    pusi: boolean,
    b: Uint8Array,
    start: number,
    end: number,
    offset: number,
    packetIndex: number,
    randomAccess: boolean,
  ): void {
    let state = this.#open.get(pid);
    if (pusi) {
      if (state) this.end(pid);
      state = {
        pes: {
          pid,
          streamId: 0,
          pts: undefined,
          dts: undefined,
          size: 0,
          pesPacketLength: 0,
          randomAccess,
          offset,
          packetIndex,
          packets: 0,
        },
        header: new Uint8Array(9 + 255),
        headerFill: 0,
        headerLength: -1,
        received: 0,
        chunks: this.#options.keepPayload ? [] : undefined,
      };
      this.#open.set(pid, state);
    }
    if (!state) return; // joined mid-PES: wait for the next start
    state.pes.packets++;
    let at = start;
    // PES header: 6 fixed bytes, 3 more for most stream_ids, then PES_header_data_length bytes.
    while (state.headerLength < 0 || state.headerFill < state.headerLength) {
      if (at >= end) return;
      state.header[state.headerFill++] = b[at++]!;
      state.received++;
      if (state.headerLength < 0 && !this.#headerProgress(pid, state)) return;
    }
    const data = end - at;
    if (data > 0) {
      state.received += data;
      state.pes.size += data;
      if (state.chunks) {
        if (state.pes.size > MAX_KEPT_PES) {
          this.#options.warn(
            EsWarningCode.TsPesTooLarge,
            `PES payloads beyond ${MAX_KEPT_PES} bytes were not kept`,
          );
          state.chunks = undefined;
        } else state.chunks.push(b.slice(at, end));
      }
    }
    const length = state.pes.pesPacketLength;
    if (length > 0 && state.received >= 6 + length) {
      if (state.received > 6 + length) {
        this.#options.warn(EsWarningCode.TsPesOverrun, 'PES payload beyond PES_packet_length was ignored');
      }
      this.end(pid);
    }
  }

  /** Ends the PES open on `pid` (a continuity error, the end of the stream): handed on when its header is whole. */
  end(pid: number): void {
    const state = this.#open.get(pid);
    if (!state) return;
    this.#open.delete(pid);
    if (state.headerLength < 0 || state.headerFill < state.headerLength) {
      this.#options.warn(
        EsWarningCode.TsPesTruncated,
        'PES packets that end inside their header were dropped',
      );
      return;
    }
    if (state.headerLength > 9) this.#decodeHeader(state);
    const pes = state.pes;
    if (state.chunks) pes.payload = joinChunks(state.chunks, pes.size);
    this.#options.onPes(pes);
  }

  /** The stream ended: every open PES, in the order they started. */
  finish(): void {
    for (const pid of [...this.#open.keys()]) this.end(pid);
  }

  /** Called per header byte until the header length is known; false when the PES was dropped. */
  #headerProgress(pid: number, state: OpenPes): boolean {
    const h = state.header;
    const fill = state.headerFill;
    if (fill === 3 && (h[0] !== 0 || h[1] !== 0 || h[2] !== 1)) {
      // packet_start_code_prefix
      this.#options.warn(EsWarningCode.TsBadPes, 'PES packets without packet_start_code_prefix were skipped');
      this.#open.delete(pid);
      return false;
    }
    if (fill === 6) {
      state.pes.streamId = h[3]!; // stream_id
      state.pes.pesPacketLength = (h[4]! << 8) | h[5]!; // PES_packet_length
      if (!hasPesOptionalHeader(h[3]!)) state.headerLength = 6;
    }
    if (fill === 9) {
      state.headerLength = 9 + h[8]!; // PES_header_data_length
      if (state.headerLength === 9) this.#decodeHeader(state);
    }
    return true;
  }

  #decodeHeader(state: OpenPes): void {
    const h = state.header;
    if (state.headerLength < 9) return;
    const ptsDtsFlags = h[7]! >> 6; // PTS_DTS_flags
    if (ptsDtsFlags & 0x02 && state.headerLength >= 14) {
      if (!pesTimestampMarkersValid(h, 9))
        this.#options.warn(EsWarningCode.TsPesMarker, 'PTS/DTS fields with a cleared marker_bit');
      state.pes.pts = readPesTimestamp(h, 9);
      state.pes.dts = state.pes.pts;
      if (ptsDtsFlags === 0x03 && state.headerLength >= 19) {
        if (!pesTimestampMarkersValid(h, 14))
          this.#options.warn(EsWarningCode.TsPesMarker, 'PTS/DTS fields with a cleared marker_bit');
        state.pes.dts = readPesTimestamp(h, 14);
      }
    }
  }
}

/** stream_ids whose PES_packet() has no optional header (2.4.3.7): program_stream_map, padding, private_stream_2, ECM, EMM, DSMCC, H.222.1 type E, directory. */
const hasPesOptionalHeader = (streamId: number): boolean =>
  streamId !== 0xbc &&
  streamId !== 0xbe &&
  streamId !== 0xbf &&
  streamId !== 0xf0 &&
  streamId !== 0xf1 &&
  streamId !== 0xf2 &&
  streamId !== 0xf8 &&
  streamId !== 0xff;

function joinChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === size) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk.subarray(0, size - at), at);
    at += Math.min(chunk.length, size - at);
  }
  return out;
}
