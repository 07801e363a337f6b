/** Moved to src/dev/stack/; kept until every test imports it from there. */
export * from '../../../src/dev/stack/ports.js';
