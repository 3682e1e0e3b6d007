// Node 20 does not define Symbol.metadata; TypeScript's TC39 decorator emit reads it when a
// decorated class is defined, so it must exist before the first decorated class is evaluated.
// Without it `context.metadata` is silently undefined.
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for('Symbol.metadata');

export {};
