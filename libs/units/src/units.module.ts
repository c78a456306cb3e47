import { Module } from '@nestjs/common';
import { AssignPostHandler } from './application/commands/assign-post/assign-post.handler';
import { EndPostHandler } from './application/commands/end-post/end-post.handler';
import { RegisterUnitHandler } from './application/commands/register-unit/register-unit.handler';

/** The units context's use cases; the api composes it with CqrsModule.forRoot(). */
@Module({ providers: [RegisterUnitHandler, AssignPostHandler, EndPostHandler] })
export class UnitsModule {}
