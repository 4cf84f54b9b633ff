import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'ts/index': 'src/ts/index.ts',
    'bitstream/index': 'src/bitstream/index.ts',
  },
  format: 'esm',
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
});
