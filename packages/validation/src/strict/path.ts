/** Dotted path of `key` under `parent` (`''` is the input root): `items` + `1` → `items.1`. */
export function joinPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}
