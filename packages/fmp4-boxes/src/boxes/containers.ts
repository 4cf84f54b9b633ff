import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';

/**
 * Boxes that hold only other boxes (ISO/IEC 14496-12 8.1-8.16 "Container:"
 * lines): their children are read header by header, lazily, and their
 * bodies are never loaded whole.
 */
export const containerTypes = [
  'moov', // 8.2.1 movie
  'trak', // 8.3.1 track
  'edts', // 8.6.5 edit
  'mdia', // 8.4.1 media
  'minf', // 8.4.4 media information
  'dinf', // 8.7.1 data information
  'stbl', // 8.5.1 sample table
  'mvex', // 8.8.1 movie extends
  'moof', // 8.8.4 movie fragment
  'traf', // 8.8.6 track fragment
  'mfra', // 8.8.9 movie fragment random access
  'udta', // 8.10.1 user data
  'sinf', // 8.12.1 protection scheme information
  'schi', // 8.12.6 scheme information
  'rinf', // 8.15.3 restricted scheme information
  'strk', // 8.14.3 sub track
  'strd', // 8.14.6 sub track definition
  'meco', // 8.11.7 additional metadata container
  'trgr', // 8.3.4 track group
  'gmhd', // QuickTime base media information header (QTFF "Base media information header atom")
  'wave', // QuickTime sound sample description extension (QTFF "siDecompressionParam atom")
  'tapt', // QuickTime track aperture mode dimensions
  'iprp', // ISO/IEC 23008-12 9.3 item properties
  'ipco', // ISO/IEC 23008-12 9.3 item property container
] as const;

/** A container box: children only. */
export interface ContainerBox extends Box {
  children: Box[];
}

export const containerDecoders: readonly BoxDecoder[] = containerTypes.map((type) => ({
  type,
  container: true,
}));

/**
 * Boxes known to carry no fields, whose bodies are never loaded: media
 * data (8.1.1) and free space (8.1.2; `wide` is QuickTime's 8-byte
 * placeholder before a 64-bit mdat).
 */
export const opaqueDecoders: readonly BoxDecoder[] = ['mdat', 'free', 'skip', 'wide'].map((type) => ({
  type,
}));
