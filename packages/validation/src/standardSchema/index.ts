export { createStandardValidator, issuesToFieldErrors, type StandardInputValidator } from './standardValidator';
export { standardJsonSchema } from './standardJsonSchema';
