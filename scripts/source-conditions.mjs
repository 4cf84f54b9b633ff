// Node module hook: resolve workspace packages to their TypeScript sources.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('@rec/source')
    ? context.conditions
    : ['@rec/source', ...context.conditions];
  return nextResolve(specifier, { ...context, conditions });
}
