import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The connection's model of this name, defined on first use: a store may be created more than once on one
 * connection (a second tool in one process, tests), and mongoose refuses to define a model twice.
 */
export function modelOf<T = Record<string, unknown>>(
  connection: Connection,
  name: string,
  schema: () => Schema,
): Model<T> {
  // Cast once here: letting mongoose infer a model type from each schema costs the typecheck dearly.
  return (connection.models[name] ?? connection.model(name, schema())) as unknown as Model<T>;
}

/**
 * A schema that keeps every field as given (the store decides the shape). `id: false`: mongoose's `id`
 * virtual would otherwise swallow a field named id.
 */
export const looseSchema = (collection: string, fields: Record<string, unknown> = {}): Schema =>
  new Schema(fields, { collection, strict: false, minimize: false, id: false });

/** A stored document as the domain sees it: without the store's own `_id` and `__v`. */
export const strip = <T>(doc: T & { _id?: unknown; __v?: unknown }): T => {
  const { _id, __v, ...rest } = doc;
  return rest as T;
};
