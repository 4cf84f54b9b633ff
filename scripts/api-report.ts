/**
 * The public API of every published package, as a reviewer reads it: one
 * `API.md` per package listing each export of each entry point with its
 * signature, written by the TypeScript checker from the sources (what
 * api-extractor's report gives, without a build). `pnpm api` rewrites the
 * reports; `pnpm api --check` (run by `pnpm lint`) fails when an export
 * changed and its report was not updated, so API changes show in review.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = [
  'packages/core',
  'packages/fmp4-boxes',
  'packages/mpd',
  'packages/es-ts',
  'packages/s3-segments',
  'packages/mux',
  'apps/recorder',
  'apps/dashget',
  'apps/mp4dump',
];

interface Manifest {
  name: string;
  exports: Record<string, string | Record<string, string>>;
}

const format = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** The entry points of a package: export path -> source file (its `@rec/source` condition). */
async function entries(dir: string): Promise<[string, string][]> {
  const manifest = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8')) as Manifest;
  return Object.entries(manifest.exports).flatMap(([path, target]) => {
    const source = typeof target === 'object' ? target['@rec/source'] : undefined;
    return source ? [[path, join(root, dir, source)] as [string, string]] : [];
  });
}

function describeSymbol(checker: ts.TypeChecker, exported: ts.Symbol): string {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const name = exported.name;
  const declaration = symbol.declarations?.[0];
  const lines: string[] = [];
  if (symbol.flags & ts.SymbolFlags.Class && declaration) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    const instance = checker.getDeclaredTypeOfSymbol(symbol);
    const bases = instance.getBaseTypes?.() ?? [];
    const heritage = bases.length
      ? ` extends ${bases.map((base) => checker.typeToString(base)).join(', ')}`
      : '';
    lines.push(`class ${name}${heritage}`);
    for (const signature of type.getConstructSignatures()) {
      lines.push(`  constructor${checker.signatureToString(signature, undefined, format)}`);
    }
    lines.push(...members(checker, instance, declaration));
    return lines.join('\n');
  }
  if (symbol.flags & ts.SymbolFlags.Function && declaration) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    return type
      .getCallSignatures()
      .map((signature) => `function ${name}${checker.signatureToString(signature, undefined, format)}`)
      .join('\n');
  }
  if (symbol.flags & ts.SymbolFlags.Interface && declaration) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const bases = type.getBaseTypes?.() ?? [];
    const heritage = bases.length
      ? ` extends ${bases.map((base) => checker.typeToString(base)).join(', ')}`
      : '';
    return [`interface ${name}${heritage}`, ...members(checker, type, declaration)].join('\n');
  }
  const parts: string[] = [];
  if (symbol.flags & ts.SymbolFlags.TypeAlias && declaration) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    parts.push(
      `type ${name} = ${checker.typeToString(type, undefined, format | ts.TypeFormatFlags.InTypeAlias)}`,
    );
  }
  if (symbol.flags & ts.SymbolFlags.Variable && declaration) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    parts.push(`const ${name}: ${checker.typeToString(type, undefined, format)}`);
  }
  return parts.length ? parts.join('\n') : `${ts.SymbolFlags[symbol.flags] ?? 'symbol'} ${name}`;
}

function members(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string[] {
  return checker
    .getPropertiesOfType(type)
    .filter((property) => {
      const declaration = property.declarations?.[0];
      if (!declaration) return false;
      if (property.name.startsWith('#')) return false;
      const modifiers = ts.getCombinedModifierFlags(declaration);
      return !(modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
    })
    .map((property) => {
      const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
      const readonly =
        property.declarations?.some((d) => ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly) ??
        false;
      const propertyType = checker.getTypeOfSymbolAtLocation(property, at);
      return `  ${readonly ? 'readonly ' : ''}${property.name}${optional}: ${checker.typeToString(propertyType, undefined, format)}`;
    });
}

async function report(dir: string, program: ts.Program): Promise<string> {
  const checker = program.getTypeChecker();
  const manifest = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8')) as Manifest;
  const sections = [
    `# API report: ${manifest.name}`,
    '',
    'Written by `pnpm api` from the sources; do not edit.',
    '',
  ];
  for (const [path, file] of await entries(dir)) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${relative(root, file)} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    const specifier = path === '.' ? manifest.name : `${manifest.name}/${path.slice(2)}`;
    sections.push(`## \`${specifier}\` (${exports.length} exports)`, '', '```ts');
    for (const symbol of [...exports].sort((a, b) => a.name.localeCompare(b.name))) {
      sections.push(describeSymbol(checker, symbol));
    }
    sections.push('```', '');
  }
  return sections.join('\n');
}

const check = process.argv.includes('--check');
const files = (await Promise.all(packages.map(entries))).flat().map(([, file]) => file);
const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
if (!config) throw new Error('cannot read tsconfig.json');
const program = ts.createProgram({ rootNames: files, options: config.options });
const stale: string[] = [];
for (const dir of packages) {
  const text = await report(dir, program);
  const path = join(root, dir, 'API.md');
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current === text) continue;
  if (check) stale.push(relative(root, path));
  else await writeFile(path, text);
}
if (stale.length) {
  console.error(`api: the public API changed; run \`pnpm api\` and review:\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
