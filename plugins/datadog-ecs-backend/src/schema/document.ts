/** A JSON Schema or OpenAPI object, as far as the plugin walks its OpenAPI document. */
export type DocumentNode = { [key: string]: any };

/** What a node stands for: the object its local `$ref` (`#/components/schemas/X`) points at, chains followed. */
export function resolveRef(
  doc: DocumentNode,
  node: DocumentNode | undefined,
): DocumentNode | undefined {
  let current = node;
  for (let depth = 0; current?.$ref && depth < 20; depth++) {
    current = String(current.$ref)
      .replace(/^#\//, '')
      .split('/')
      .reduce<DocumentNode | undefined>((n, key) => n?.[key], doc);
  }
  return current;
}
