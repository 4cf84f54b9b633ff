import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';

/** A child of `tref` (ISO/IEC 14496-12 8.3.3): the reference type is its box type (`hint`, `cdsc`, `chap`...). */
export interface TrackReferenceTypeBox extends Box {
  trackIds: number[];
}

/* aligned(8) class TrackReferenceTypeBox (unsigned int(32) reference_type) extends Box(reference_type) {
 *   unsigned int(32) track_IDs[]; } */
const referenceType = (type: string): BoxDecoder<TrackReferenceTypeBox> => ({
  type,
  read(reader) {
    const trackIds: number[] = [];
    while (reader.remaining >= 4) trackIds.push(reader.u32()); // track_IDs[]
    return { trackIds };
  },
  write(box, writer) {
    for (const id of box.trackIds) writer.u32(id); // track_IDs[]
  },
});

/** `tref` (8.3.3): a container whose children are typed track references. */
export const tref: BoxDecoder = {
  type: 'tref',
  container: true,
  childDecoder: (type) => referenceType(type),
};
