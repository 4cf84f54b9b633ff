/** nal_unit_type values of ITU-T H.265 Table 7-1 that the parser acts on. */
export const HevcNalType = {
  RaslN: 8,
  RaslR: 9,
  BlaWLp: 16,
  IdrWRadl: 19,
  IdrNLp: 20,
  Cra: 21,
  Vps: 32,
  Sps: 33,
  Pps: 34,
  Aud: 35,
  EndOfSequence: 36,
  EndOfBitstream: 37,
  Filler: 38,
  PrefixSei: 39,
  SuffixSei: 40,
} as const;
export type HevcNalType = (typeof HevcNalType)[keyof typeof HevcNalType];

/** IRAP: BLA, IDR, CRA and the reserved IRAP types 22..23. */
export const isHevcIrap = (type: number): boolean => type >= 16 && type <= 23;
export const isHevcIdr = (type: number): boolean => type === 19 || type === 20;
export const isHevcRasl = (type: number): boolean => type === 8 || type === 9;
export const isHevcRadl = (type: number): boolean => type === 6 || type === 7;
/** Sub-layer non-reference picture: even types up to 14 (TRAIL_N, TSA_N, ...). */
export const isHevcSubLayerNonRef = (type: number): boolean => type <= 14 && type % 2 === 0;
