export { OtelTracing, type OtelTracingOptions } from './OtelTracing';
export { ATTR, EXECUTE_TOOL } from './attributes';
export { sha256Id, type IdPolicy } from './hashIds';
