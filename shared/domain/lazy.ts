/**
 * `build` run once, on the first call, its value kept: module-level work that only some requests need (a table
 * built from every language's prompts parses them all) is then not done when a Lambda bundle is imported.
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
