import { dirname } from 'node:path';

/**
 * The part of esbuild's plugin interface this plugin uses, spelled out
 * here: the repository root has no esbuild or tsup of its own to import the
 * types from (each app's tsup brings one), and tsup's `esbuildPlugins`
 * accepts this shape.
 */
interface ResolveResult {
  path: string;
  errors: unknown[];
}
interface PluginBuild {
  onResolve(
    options: { filter: RegExp; namespace?: string },
    callback: (args: {
      path: string;
      importer: string;
      resolveDir: string;
      kind: string;
      pluginData?: { real?: boolean };
    }) => Promise<{ path?: string; namespace?: string; errors?: unknown[] } | undefined>,
  ): void;
  onLoad(
    options: { filter: RegExp; namespace?: string },
    callback: (args: { path: string }) => { contents: string; loader: 'js'; resolveDir: string },
  ): void;
  resolve(
    path: string,
    options: { kind: string; importer: string; resolveDir: string; pluginData: unknown },
  ): Promise<ResolveResult>;
}
interface Plugin {
  name: string;
  setup(build: PluginBuild): void;
}

/**
 * An esbuild plugin that makes `string-width` load on its first call
 * instead of at start-up. yargs (through cliui and its own shim) imports
 * two versions of it, and each builds, as the module loads, an
 * `Intl.Segmenter` and Unicode-property regular expressions
 * (`\p{RGI_Emoji}` with the `v` flag alone takes about 35 ms to compile
 * here): about 30 ms of CPU and 2.5 MB of RSS on every run of the CLI,
 * for a width that only `--help` and usage errors measure. Each import of
 * `string-width` gets a module whose function `require`s the real one (the
 * version its importer resolves) when first called; esbuild bundles that
 * module lazily (its initialisation runs at that `require`). Needs the
 * importer bundled (`noExternal: ['yargs']`). Used by the tsup builds of
 * the three apps (each bundles yargs) and by bench/mp4dump.ts.
 */
export function lazyStringWidth(): Plugin {
  return {
    name: 'lazy-string-width',
    setup(build) {
      build.onResolve({ filter: /^string-width$/ }, async (args) => {
        if (args.pluginData?.real === true) return undefined;
        const real = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { real: true },
        });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'lazy-string-width' };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
        contents: [
          'let real;',
          'export default function stringWidth(text, options) {',
          `  real ??= require(${JSON.stringify(args.path)}).default;`,
          '  return real(text, options);',
          '}',
        ].join('\n'),
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
    },
  };
}
