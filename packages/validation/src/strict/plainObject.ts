/** A plain object from any realm: `{}` or `Object.create(null)`, not an array, class instance, Date, Map... */
export function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
