/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;

/** Any JSON value, as the server sends it. */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}
