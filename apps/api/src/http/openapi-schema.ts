/** Building blocks of the OpenAPI 3.0 reply schemas, so every schema file says "a required object" the same way. */
export const string = { type: 'string' };
export const integer = { type: 'integer' };
export const number = { type: 'number' };
export const boolean = { type: 'boolean' };
export const day = { type: 'string', format: 'date' };
export const time = { type: 'string', format: 'date-time' };
export const strings = { type: 'array', items: string };
export const nullable = (schema: object): object => ({ ...schema, nullable: true });
/** Every property listed is required: replies always carry them (null where there is none). */
export const object = (properties: Record<string, object>, description?: string): object => ({ type: 'object', properties, required: Object.keys(properties), ...(description ? { description } : {}) });
/** A keyset page of the list endpoints: `{items, nextCursor}`. */
export const page = (item: object): object => object({ items: { type: 'array', items: item }, nextCursor: nullable(string) });
