import { applyDecorators, Body, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiPayloadTooLargeResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { DomainError } from '@app/shared-kernel';

/** Validates a body against a zod schema; every problem is reported at once, by field. */
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    const fields = parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
    throw new DomainError('invalid', 'VALIDATION_FAILED', 'The request body is not valid; see errors.', fields);
  }
}

/**
 * The body parameter and its OpenAPI schema (the input side: what clients send), both from one zod
 * schema; and the 413 every body can meet (the body parser's size limit).
 */
export function ZodBody<T extends z.ZodType>(schema: T): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodPipe(schema))(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor) {
        applyDecorators(
          ApiBody({ schema: z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as object }),
          ApiPayloadTooLargeResponse({ description: 'The body is larger than the server accepts, 100 kB (PAYLOAD_TOO_LARGE).' }),
        )(target, key, descriptor);
      }
    }
  };
}
