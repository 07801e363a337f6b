/** The client's one door to the server's shared DTO types (types only: nothing from src/ reaches the bundle). */
export type * from '../../../src/http/contract';
