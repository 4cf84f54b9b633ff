/** One sample (an access unit) of a track: where its bytes are and when it plays. */
export interface Sample {
  /** Absolute file offset of the sample's first byte. */
  offset: number;
  size: number;
  /** Decode time, in the track's media timescale (mdhd). */
  dts: number;
  /** Composition time (dts + the composition offset), media timescale, before any edit list. */
  cts: number;
  duration: number;
  /** A sync sample: decoding can start here. */
  sync: boolean;
}

/** A sample of a movie fragment, with the track it belongs to. */
export interface FragmentSample extends Sample {
  trackId: number;
}

/**
 * A composition offset as players read it: signed, also in version 0
 * boxes where 14496-12 says unsigned (ffmpeg and others write negative
 * offsets there, as 2^32 - n).
 */
export const signedOffset = (value: number): number => (value >= 0x80000000 ? value - 0x100000000 : value);
