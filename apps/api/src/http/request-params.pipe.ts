import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/shared-kernel';

/**
 * Path and query parameters arrive as whatever the URL says. A NUL byte (`%00`) cannot even be
 * looked up in PostgreSQL (it would surface as a 500), and a repeated query key (`?unitId=a&unitId=b`)
 * turns a string into an array; both are malformed requests (400), refused before any handler runs.
 */
@Injectable()
export class RequestParamsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if ((metadata.type !== 'param' && metadata.type !== 'query') || metadata.data === undefined) return value;
    const field = metadata.data;
    if (Array.isArray(value)) throw invalid(field, 'given more than once');
    if (typeof value === 'string' && value.includes('\u0000')) throw invalid(field, 'contains a NUL character');
    return value;
  }
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('invalid', 'INVALID_PARAMETER', `${field} is malformed: ${message}.`, [{ field, message }]);
}
