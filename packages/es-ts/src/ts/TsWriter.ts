import { expectInteger, invalidOption } from '@rec/core';
import { readAdtsHeader } from '../aac/adtsHeader.js';
import { H264NalType } from '../bitstream/h264/H264NalType.js';
import { HevcNalType } from '../bitstream/hevc/HevcNalType.js';
import { TS_CLOCK } from '../clock.js';
import { EsParseError, EsParseErrorCode } from '../EsParseError.js';
import { expectCodec } from '../expectOption.js';
import { type AccessUnit, type AudioFrame, Codec, type NalUnit } from '../types.js';
import { writePcr } from './pcr.js';
import { StreamType } from './StreamType.js';
import { PAT_PID, TS_PACKET_SIZE, TS_PAYLOAD_SIZE, TS_SYNC_BYTE } from './tsPacket.js';
import { writePatSection } from './writePatSection.js';
import { PesStreamId, pesHeaderLength, writePesHeader } from './writePesHeader.js';
import { type PmtStream, writePmtSection } from './writePmtSection.js';
import { writePsiPacket } from './writePsiPacket.js';

export interface TsWriterOptions {
  /** Video codec; sets the PMT stream_type (0x1B H.264, 0x24 HEVC) and the AUD / parameter-set NAL types. */
  codec: Codec;
  /** Carry a video stream (default true); `false` makes an audio-only TS. */
  video?: boolean;
  /** Carry an AAC (ADTS) stream on `audioPid` (default false). */
  audio?: boolean;
  /** Default 0x100 (as ffmpeg). */
  videoPid?: number;
  /** Default 0x101 (as ffmpeg). */
  audioPid?: number;
  /** Default 0x1000 (as ffmpeg). */
  pmtPid?: number;
  /** Default 1. */
  programNumber?: number;
  /** Default 1. */
  transportStreamId?: number;
  /**
   * PCR = DTS (audio-only: PTS) minus this many 90 kHz ticks; default
   * {@link DEFAULT_PCR_DELAY} (100 ms). The first DTS should be at least this
   * large, or the PCR starts just below 2^33 and wraps (legal, 2.4.2.2, but
   * analyzers flag it).
   */
  pcrDelay?: number;
  /**
   * Where the writer gets output memory when the current buffer is too small
   * for the next unit (default: a fresh 1 MiB buffer, or larger for a larger
   * unit). It must return at least `minBytes` bytes that nobody reads or
   * writes any more: the writer fills them from the start and returns views of
   * them. With a pool, the caller must not give a buffer back before it has
   * consumed every view of it.
   */
  allocate?: (minBytes: number) => Uint8Array;
}

/** Default distance between PCR and DTS: 100 ms of the 90 kHz clock. */
export const DEFAULT_PCR_DELAY = 9000;
/** PAT/PMT and PCR are written at least this often in stream time (90 kHz): 100 ms (ISO/IEC 13818-1 2.7.2, 2.7.4). */
export const TS_REPEAT_INTERVAL = 9000;
/** A PCR jump up to this size (10 s) is bridged by PCR-only packets; larger ones and backward steps set discontinuity_indicator. */
export const MAX_PCR_BRIDGE = 10 * TS_CLOCK;

const SLAB_SIZE = 1 << 20;

/** NAL types the writer cares about, per codec (H.264 Table 7-1, H.265 Table 7-1). */
const NAL_TYPES = {
  [Codec.H264]: { aud: H264NalType.Aud, parameterSets: [H264NalType.Sps, H264NalType.Pps] },
  [Codec.Hevc]: { aud: HevcNalType.Aud, parameterSets: [HevcNalType.Vps, HevcNalType.Sps, HevcNalType.Pps] },
} as const;

/** access_unit_delimiter_rbsp() as a NAL: H.264 `09 F0` (primary_pic_type 7 = any), HEVC `46 01 50` (pic_type 2 = any). */
const AUD_NAL = {
  [Codec.H264]: Uint8Array.of(0x09, 0xf0),
  [Codec.Hevc]: Uint8Array.of(0x46, 0x01, 0x50),
} as const;

/**
 * ISO/IEC 13818-1 transport stream writer for one program: one video PES per
 * access unit, one audio PES per ADTS frame, PAT/PMT and PCR repeated at
 * least every 100 ms of stream time and before every keyframe.
 *
 * Each call returns whole 188-byte packets. The returned arrays are views of
 * a shared slab, but (with the default `allocate`) every view covers bytes
 * written once and never again: a caller may keep or queue them (e.g.
 * `stream.write()`) without copying.
 *
 * Each PES is copied twice: the access unit goes whole to the end of the
 * room reserved for its packets, then each 184-byte payload moves forward to
 * its slot with `copyWithin`. Writing the pieces straight into the slots (one
 * copy) was slower in each of 4 alternating bench runs on Node 20 (455-625
 * against 634-785 MB/s): it needs a `subarray` per packet, and a native
 * `memmove` within one buffer costs less than that.
 */
export class TsWriter {
  readonly codec: Codec;
  readonly videoPid: number;
  readonly audioPid: number;
  readonly pmtPid: number;
  /** PID carrying the PCR: the video PID, or the audio PID in an audio-only stream. */
  readonly pcrPid: number;
  readonly pcrDelay: number;

  readonly #video: boolean;
  readonly #audio: boolean;
  readonly #pat: Uint8Array;
  readonly #pmt: Uint8Array;
  readonly #audNal: Uint8Array;
  readonly #audType: number;
  readonly #psTypes: readonly number[];
  /** Last seen parameter sets, by NAL type (copies: the caller may reuse its buffers). */
  readonly #parameterSets = new Map<number, Uint8Array[]>();

  #ccPat = 0;
  #ccPmt = 0;
  #ccVideo = 0;
  #ccAudio = 0;
  #lastPsiTime: number | undefined;
  #lastUnitTime: number | undefined;
  #lastPcr: number | undefined;

  #slab: Uint8Array = new Uint8Array(0);
  #pos = 0;
  readonly #allocate: (minBytes: number) => Uint8Array;

  constructor(options: TsWriterOptions) {
    const {
      codec,
      video = true,
      audio = false,
      videoPid = 0x100,
      audioPid = 0x101,
      pmtPid = 0x1000,
      programNumber = 1,
      transportStreamId = 1,
      pcrDelay = DEFAULT_PCR_DELAY,
      allocate = allocateSlab,
    } = options;
    expectCodec(codec);
    if (video !== true && video !== false) throw invalidOption('video', 'a boolean', video);
    if (audio !== true && audio !== false) throw invalidOption('audio', 'a boolean', audio);
    if (!video && !audio) throw invalidOption('audio', 'true when `video` is false', audio);
    // 0x0000-0x000F are reserved for PAT, CAT, TSDT and more; 0x1FFF is the null packet (Table 2-3).
    expectInteger('videoPid', videoPid, 0x10, 0x1ffe);
    expectInteger('audioPid', audioPid, 0x10, 0x1ffe);
    expectInteger('pmtPid', pmtPid, 0x10, 0x1ffe);
    if (video && audio && videoPid === audioPid) {
      throw invalidOption('audioPid', `a PID other than \`videoPid\` (${videoPid})`, audioPid);
    }
    if ((video && pmtPid === videoPid) || (audio && pmtPid === audioPid)) {
      throw invalidOption('pmtPid', 'a PID other than the video and audio PIDs', pmtPid);
    }
    expectInteger('programNumber', programNumber, 1, 0xffff);
    expectInteger('transportStreamId', transportStreamId, 0, 0xffff);
    expectInteger('pcrDelay', pcrDelay, 0);
    this.codec = codec;
    this.videoPid = videoPid;
    this.audioPid = audioPid;
    this.pmtPid = pmtPid;
    this.pcrPid = video ? videoPid : audioPid;
    this.pcrDelay = pcrDelay;
    this.#allocate = allocate;
    this.#video = video;
    this.#audio = audio;
    this.#audNal = AUD_NAL[codec];
    this.#audType = NAL_TYPES[codec].aud;
    this.#psTypes = NAL_TYPES[codec].parameterSets;

    const streams: PmtStream[] = [];
    if (video)
      streams.push({ streamType: codec === Codec.H264 ? StreamType.H264 : StreamType.Hevc, pid: videoPid });
    if (audio) streams.push({ streamType: StreamType.AacAdts, pid: audioPid });
    this.#pat = writePsiPacket(
      PAT_PID,
      writePatSection({ transportStreamId, programs: [{ programNumber, pmtPid }] }),
    );
    this.#pmt = writePsiPacket(pmtPid, writePmtSection({ programNumber, pcrPid: this.pcrPid, streams }));
  }

  /**
   * Packets of one access unit: [PAT, PMT,] [PCR-only bridge packets,] then the
   * PES. Adds an AUD when the AU has none and, on a keyframe, the last seen
   * parameter sets the AU lacks.
   */
  writeVideo(au: AccessUnit): Uint8Array {
    if (!this.#video) throw new TypeError('writeVideo on a TsWriter made with `video: false`');
    if (au.codec !== this.codec) throw invalidOption('au.codec', `\`${this.codec}\``, au.codec);
    const nals = this.#orderNals(au);
    const audType = this.#audType;
    const needAud = nals[0]?.type !== audType && !nals.some((nal) => nal.type === audType);

    const headerLength = pesHeaderLength(au.pts, au.dts);
    let esLength = needAud ? 4 + this.#audNal.length : 0;
    for (let i = 0; i < nals.length; i++) {
      const nal = nals[i]!;
      esLength += this.#startCodeLength(nal.type, i === 0 && !needAud) + nal.bytes.length;
    }
    const pesLength = headerLength + esLength;

    const start = this.#beginUnit(au.dts, au.duration, au.keyframe, pesLength, true);
    // Elementary stream data goes to the end of the reserved range; packetizing moves it forward.
    const end = start.reserveEnd;
    let at = end - pesLength;
    const dataStart = at;
    const slab = this.#slab;
    at += writePesHeader(slab, at, { streamId: PesStreamId.Video, pts: au.pts, dts: au.dts });
    if (needAud) {
      at = writeStartCode(slab, at, 4);
      slab.set(this.#audNal, at);
      at += this.#audNal.length;
    }
    for (let i = 0; i < nals.length; i++) {
      const nal = nals[i]!;
      at = writeStartCode(slab, at, this.#startCodeLength(nal.type, i === 0 && !needAud));
      slab.set(nal.bytes, at);
      at += nal.bytes.length;
    }
    const flags = (start.discontinuity ? 0x80 : 0) | (au.keyframe ? 0x40 : 0);
    this.#packetize(this.videoPid, true, dataStart, pesLength, flags, start.pcr);
    return this.#finishUnit(start.begin, end);
  }

  /** Packets of one ADTS frame in its own PES (PTS only, PES_packet_length set), preceded by PAT/PMT when due. */
  writeAudio(frame: AudioFrame): Uint8Array {
    if (!this.#audio) throw new TypeError('writeAudio on a TsWriter made without `audio: true`');
    const payloadLength = frame.bytes.length;
    const pesLength = 14 + payloadLength;
    if (payloadLength === 0 || pesLength - 6 > 0xffff) {
      throw new EsParseError(
        EsParseErrorCode.InvalidStream,
        `Expected an ADTS frame of 1 to 65521 bytes, got ${payloadLength}`,
        { offset: 0 },
      );
    }
    const isPcrPid = this.pcrPid === this.audioPid;
    // An ADTS frame lasts 1024 samples (about 21 ms at 48 kHz) per raw data block.
    const header = readAdtsHeader(frame.bytes);
    const duration = header ? (header.samples * TS_CLOCK) / header.sampleRate : 0;
    const start = this.#beginUnit(frame.pts, duration, false, pesLength, isPcrPid);
    const end = start.reserveEnd;
    const dataStart = end - pesLength;
    const slab = this.#slab;
    writePesHeader(slab, dataStart, { streamId: PesStreamId.Audio, pts: frame.pts, payloadLength });
    slab.set(frame.bytes, dataStart + 14);
    // Every AAC frame is a random access point (ffmpeg marks them too).
    const flags = (start.discontinuity ? 0x80 : 0) | 0x40;
    this.#packetize(this.audioPid, false, dataStart, pesLength, flags, start.pcr);
    return this.#finishUnit(start.begin, end);
  }

  /** NALs in writing order: as given, except a keyframe lacking parameter sets gets the stored ones after its AUD. */
  #orderNals(au: AccessUnit): readonly NalUnit[] {
    const psTypes = this.#psTypes;
    const nals = au.nals;
    let seen = 0; // bit i: the AU carries parameter set type psTypes[i]
    for (let i = 0; i < nals.length; i++) {
      const k = psTypes.indexOf(nals[i]!.type);
      if (k >= 0) seen |= 1 << k;
    }
    if (seen !== 0) this.#storeParameterSets(nals, seen);
    const all = (1 << psTypes.length) - 1;
    if (!au.keyframe || seen === all) return nals;
    let missingStored = false;
    for (let k = 0; k < psTypes.length; k++) {
      if (!(seen & (1 << k)) && this.#parameterSets.has(psTypes[k]!)) missingStored = true;
    }
    if (!missingStored) return nals;
    // AUD, then VPS/SPS/PPS in type order (the AU's own where present), then everything else in order.
    const ordered: NalUnit[] = nals.filter((nal) => nal.type === this.#audType);
    for (let k = 0; k < psTypes.length; k++) {
      const type = psTypes[k]!;
      if (seen & (1 << k)) ordered.push(...nals.filter((nal) => nal.type === type));
      else for (const bytes of this.#parameterSets.get(type) ?? []) ordered.push({ type, bytes });
    }
    for (const nal of nals) if (nal.type !== this.#audType && !psTypes.includes(nal.type)) ordered.push(nal);
    return ordered;
  }

  /** Replaces the stored parameter sets of each type present in the AU (several PPS in one AU are all kept). */
  #storeParameterSets(nals: readonly NalUnit[], seen: number): void {
    const psTypes = this.#psTypes;
    for (let k = 0; k < psTypes.length; k++) {
      if (!(seen & (1 << k))) continue;
      const type = psTypes[k]!;
      const fresh: Uint8Array[] = [];
      for (const nal of nals) if (nal.type === type) fresh.push(nal.bytes.slice());
      this.#parameterSets.set(type, fresh);
    }
  }

  /** ITU-T H.264 / H.265 B.1.2: zero_byte precedes the first NAL of an AU and parameter sets. */
  #startCodeLength(type: number, first: boolean): 3 | 4 {
    return first || type === this.#audType || this.#psTypes.includes(type) ? 4 : 3;
  }

  /**
   * Writes what precedes a PES (PCR bridge packets, PAT, PMT) and reserves room
   * for the PES packets. `time` is the unit's DTS (audio: PTS).
   */
  #beginUnit(
    time: number,
    duration: number,
    keyframe: boolean,
    pesLength: number,
    carriesPcr: boolean,
  ): { begin: number; reserveEnd: number; pcr: number | undefined; discontinuity: boolean } {
    let pcr: number | undefined;
    let discontinuity = false;
    let bridges = 0;
    let bridgeStart = 0;
    let bridgeStep = 0;
    if (carriesPcr) {
      pcr = time - this.pcrDelay;
      const last = this.#lastPcr;
      if (last !== undefined) {
        const gap = pcr - last;
        if (gap < 0 || gap > MAX_PCR_BRIDGE) discontinuity = true;
        else if (gap > TS_REPEAT_INTERVAL) {
          bridges = Math.ceil(gap / TS_REPEAT_INTERVAL) - 1;
          bridgeStart = last;
          bridgeStep = gap / (bridges + 1);
        }
      }
    }
    // Every bridge packet brings PAT and PMT along, so a gap never leaves them more than 100 ms apart.
    const psiBefore = this.#psiDue(time, duration, keyframe) || bridges > 0 || discontinuity;
    const pesFirstAf = carriesPcr ? 8 : 2; // adaptation_field_length + flags (+ 6 bytes of PCR)
    const pesPackets =
      pesLength <= TS_PAYLOAD_SIZE - pesFirstAf
        ? 1
        : 1 + Math.ceil((pesLength - (TS_PAYLOAD_SIZE - pesFirstAf)) / TS_PAYLOAD_SIZE);
    const total = (bridges * 3 + (psiBefore ? 2 : 0) + pesPackets) * TS_PACKET_SIZE;
    this.#reserve(total);
    const begin = this.#pos;
    for (let i = 1; i <= bridges; i++) {
      this.#writePsi();
      this.#writePcrOnly(Math.round(bridgeStart + bridgeStep * i));
    }
    if (psiBefore) {
      this.#writePsi();
      this.#lastPsiTime = time;
    }
    if (pcr !== undefined) this.#lastPcr = pcr;
    this.#lastUnitTime = time;
    return { begin, reserveEnd: begin + total, pcr, discontinuity };
  }

  /** PAT/PMT are due on keyframes, at the start, after a backward step, or when waiting for the next unit would exceed 100 ms. */
  #psiDue(time: number, duration: number, keyframe: boolean): boolean {
    const last = this.#lastPsiTime;
    if (keyframe || last === undefined || time < last) return true;
    const previous = this.#lastUnitTime ?? time;
    const next = duration > 0 ? duration : Math.max(0, time - previous);
    return time - last + next > TS_REPEAT_INTERVAL;
  }

  #writePsi(): void {
    const slab = this.#slab;
    let p = this.#pos;
    slab.set(this.#pat, p);
    slab[p + 3] = 0x10 | this.#ccPat; // adaptation_field_control '01', continuity_counter
    this.#ccPat = (this.#ccPat + 1) & 0x0f;
    p += TS_PACKET_SIZE;
    slab.set(this.#pmt, p);
    slab[p + 3] = 0x10 | this.#ccPmt;
    this.#ccPmt = (this.#ccPmt + 1) & 0x0f;
    this.#pos = p + TS_PACKET_SIZE;
  }

  /** A packet of the PCR PID with an adaptation field only (adaptation_field_control '10'): the counter does not advance (2.4.3.3). */
  #writePcrOnly(pcrBase: number): void {
    const slab = this.#slab;
    const p = this.#pos;
    const pid = this.pcrPid;
    const cc = pid === this.videoPid && this.#video ? this.#ccVideo : this.#ccAudio;
    slab[p] = TS_SYNC_BYTE; // sync_byte
    slab[p + 1] = (pid >> 8) & 0x1f; // transport_error_indicator 0, payload_unit_start_indicator 0, transport_priority 0, PID[12..8]
    slab[p + 2] = pid & 0xff; // PID[7..0]
    // The last payload packet carried `cc - 1`; a packet without payload repeats it.
    slab[p + 3] = 0x20 | ((cc + 15) & 0x0f); // adaptation_field_control '10', continuity_counter
    slab[p + 4] = 183; // adaptation_field_length
    slab[p + 5] = 0x10; // discontinuity 0, random_access 0, ES_priority 0, PCR_flag 1, other flags 0
    writePcr(slab, p + 6, pcrBase);
    slab.fill(0xff, p + 12, p + TS_PACKET_SIZE); // stuffing_byte
    this.#pos = p + TS_PACKET_SIZE;
    this.#lastPcr = pcrBase;
  }

  /**
   * Cuts `slab[dataStart, dataStart + length)` (a whole PES, written ahead of
   * the write position) into packets at the write position (2.4.3.2). The first
   * packet sets payload_unit_start_indicator and carries an adaptation field
   * when `flags` or a PCR is given; the last is padded with adaptation-field
   * stuffing. Moving forward with copyWithin never overtakes unread data
   * because the reserved range ends exactly where the data ends.
   */
  #packetize(
    pid: number,
    video: boolean,
    dataStart: number,
    length: number,
    flags: number,
    pcr: number | undefined,
  ): void {
    const slab = this.#slab;
    let p = this.#pos;
    let src = dataStart;
    let remaining = length;
    let cc = video ? this.#ccVideo : this.#ccAudio;
    let first = true;
    const pidHigh = (pid >> 8) & 0x1f;
    const pidLow = pid & 0xff;
    while (remaining > 0) {
      // Adaptation field bytes needed for flags/PCR in the first packet.
      let af = first ? (pcr !== undefined ? 8 : flags !== 0 ? 2 : 0) : 0;
      let payload = TS_PAYLOAD_SIZE - af;
      if (remaining < payload) {
        af += payload - remaining; // stuffing in the adaptation field, never in the payload
        payload = remaining;
      }
      slab[p] = TS_SYNC_BYTE; // sync_byte
      slab[p + 1] = (first ? 0x40 : 0) | pidHigh; // payload_unit_start_indicator, PID[12..8]
      slab[p + 2] = pidLow; // PID[7..0]
      slab[p + 3] = (af > 0 ? 0x30 : 0x10) | cc; // adaptation_field_control '11' or '01', continuity_counter
      cc = (cc + 1) & 0x0f;
      let q = p + 4;
      if (af > 0) {
        slab[q] = af - 1; // adaptation_field_length
        if (af > 1) {
          let afFlags = 0;
          let used = 2;
          if (first) {
            afFlags = flags; // discontinuity_indicator, random_access_indicator
            if (pcr !== undefined) {
              afFlags |= 0x10; // PCR_flag
              writePcr(slab, q + 2, pcr);
              used = 8;
            }
          }
          slab[q + 1] = afFlags;
          slab.fill(0xff, q + used, q + af); // stuffing_byte
        }
        q += af;
      }
      slab.copyWithin(q, src, src + payload);
      src += payload;
      remaining -= payload;
      p += TS_PACKET_SIZE;
      first = false;
    }
    if (video) this.#ccVideo = cc;
    else this.#ccAudio = cc;
    this.#pos = p;
  }

  #reserve(bytes: number): void {
    if (this.#slab.length - this.#pos >= bytes) return;
    const slab = this.#allocate(bytes);
    if (slab.length < bytes) {
      throw new RangeError(`TsWriter \`allocate\` returned ${slab.length} bytes, needed ${bytes}`);
    }
    this.#slab = slab;
    this.#pos = 0;
  }

  #finishUnit(begin: number, end: number): Uint8Array {
    if (this.#pos !== end)
      throw new Error(`TsWriter internal error: wrote ${this.#pos - begin} of ${end - begin} bytes`);
    return this.#slab.subarray(begin, end);
  }
}

/** A fresh buffer of at least 1 MiB (uninitialized: every byte is written before it is handed out). */
function allocateSlab(minBytes: number): Uint8Array {
  const size = Math.max(SLAB_SIZE, minBytes);
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size);
}

function writeStartCode(out: Uint8Array, at: number, length: 3 | 4): number {
  if (length === 4) out[at++] = 0x00; // zero_byte
  out[at] = 0x00; // start_code_prefix_one_3bytes
  out[at + 1] = 0x00;
  out[at + 2] = 0x01;
  return at + 3;
}
