import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';

/**
 * `ftyp` (ISO/IEC 14496-12 4.3) and `styp` (8.16.2, the same syntax for a
 * segment): `unsigned int(32) major_brand; unsigned int(32) minor_version;
 * unsigned int(32) compatible_brands[];` to the end of the box.
 */
export interface FileTypeBox extends Box {
  type: 'ftyp' | 'styp';
  majorBrand: string;
  minorVersion: number;
  compatibleBrands: string[];
}

const fileType = (type: 'ftyp' | 'styp'): BoxDecoder<FileTypeBox> => ({
  type,
  read(reader) {
    const majorBrand = reader.fourcc(); // major_brand
    const minorVersion = reader.u32(); // minor_version
    const compatibleBrands: string[] = [];
    while (reader.remaining >= 4) compatibleBrands.push(reader.fourcc()); // compatible_brands[]
    return { majorBrand, minorVersion, compatibleBrands };
  },
  write(box, writer) {
    writer.fourcc(box.majorBrand).u32(box.minorVersion); // major_brand, minor_version
    for (const brand of box.compatibleBrands) writer.fourcc(brand); // compatible_brands[]
  },
});

export const ftyp = fileType('ftyp');
export const styp = fileType('styp');
