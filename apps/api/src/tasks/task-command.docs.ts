import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { COMMAND_RESPONSE_SCHEMA } from '../http/command-http';

/** The common documentation of a command on an existing task: 200, If-Match, 404, 412 and its 422 codes. */
export function TaskCommandDocs(summary: string, ruleCodes: string): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    ApiOperation({ summary }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The version (ETag) last seen; 412 if the task has moved on.' }),
    ApiOkResponse({ schema: COMMAND_RESPONSE_SCHEMA, description: 'Recorded; ETag and X-Event-Position headers.' }),
    ApiNotFoundResponse({ description: 'No such task (TASK_NOT_FOUND).' }),
    ApiPreconditionFailedResponse({ description: 'If-Match is not the current version (VERSION_MISMATCH).' }),
    ApiUnprocessableEntityResponse({ description: `A rule refuses it: ${ruleCodes}.` }),
  );
}
