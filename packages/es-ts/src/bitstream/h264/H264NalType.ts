/** nal_unit_type values of ITU-T H.264 Table 7-1 that the parser acts on. */
export const H264NalType = {
  NonIdrSlice: 1,
  SliceDataA: 2,
  IdrSlice: 5,
  Sei: 6,
  Sps: 7,
  Pps: 8,
  Aud: 9,
  EndOfSequence: 10,
  EndOfStream: 11,
  Filler: 12,
  SpsExtension: 13,
  PrefixNal: 14,
  SubsetSps: 15,
  DepthParameterSet: 16,
} as const;
export type H264NalType = (typeof H264NalType)[keyof typeof H264NalType];
