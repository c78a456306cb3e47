import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { GetUnitQuery, ListUnitsQuery, type Page, type UnitView } from '@app/projections';
import { Clock, uuidv7, type Principal } from '@app/shared-kernel';
import { AssignPostCommand, EndPostCommand, POSTS, RegisterUnitCommand, UNIT_KINDS } from '@app/units';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { COMMAND_RESPONSE_SCHEMA, commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import { id, instant, text, type HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';


const registerUnit = z.object({ id: id.optional(), name: text(100), kind: z.enum(UNIT_KINDS), parentId: id.nullable().optional() }).strict();
const assignPost = z.object({ personId: id, name: text(100), post: z.enum(POSTS), from: instant.optional() }).strict();
const endPost = z.object({ at: instant.optional(), reason: text(500).nullable().optional() }).strict();

const IF_MATCH = { name: 'If-Match', required: false, description: 'The version (ETag) last seen; 412 if the unit has moved on.' };

@ApiTags('units')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body or query (problem+json with errors[]).' })
@ApiForbiddenResponse({ description: 'Only admin and office may change units.' })
@Controller('units')
export class UnitsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Member units with the people now in post, by id; paged with limit and cursor' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read model has this event position.' })
  @ApiOkResponse({ description: '`{items, nextCursor}`; header X-Projection-Position.' })
  list(@Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<UnitView>> {
    return this.queries.execute(new ListUnitsQuery(pageSize(limit), cursor ?? null));
  }

  @Get(':unitId')
  @ApiOperation({ summary: 'A member unit and every term anyone held a post in it' })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' } })
  @ApiOkResponse({ description: 'The unit; times in +08:00.' })
  @ApiNotFoundResponse({ description: 'No such unit (UNIT_NOT_FOUND).' })
  get(@Param('unitId') unitId: string): Promise<UnitView> {
    return this.queries.execute(new GetUnitQuery(unitId));
  }

  @Post()
  @Roles('admin', 'office')
  @ApiOperation({ summary: 'Register a member unit (成员单位)' })
  @ApiCreatedResponse({ schema: COMMAND_RESPONSE_SCHEMA })
  @ApiConflictResponse({ description: 'A unit with this id exists (UNIT_ALREADY_EXISTS).' })
  @ApiUnprocessableEntityResponse({ description: 'The parent unit does not exist (PARENT_UNIT_NOT_FOUND).' })
  async register(@ZodBody(registerUnit) body: z.infer<typeof registerUnit>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const unitId = body.id ?? uuidv7(this.clock.now().getTime());
    const result = await this.commands.execute(new RegisterUnitCommand({ unitId, name: body.name, kind: body.kind, parentId: body.parentId ?? null }, commandContext(request, principal)));
    return commandResponse(response, unitId, result);
  }

  @Post(':unitId/posts')
  @Roles('admin', 'office')
  @ApiOperation({ summary: 'Record that a person holds a post in the unit from a moment on' })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ schema: COMMAND_RESPONSE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such unit (UNIT_NOT_FOUND).' })
  @ApiPreconditionFailedResponse({ description: 'If-Match is not the current version.' })
  @ApiUnprocessableEntityResponse({ description: 'POST_ALREADY_HELD, PRIMARY_LEADER_IN_POST.' })
  async assignPost(@Param('unitId') unitId: string, @ZodBody(assignPost) body: z.infer<typeof assignPost>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const from = body.from ?? this.clock.now().toISOString();
    const result = await this.commands.execute(new AssignPostCommand({ unitId, personId: body.personId, name: body.name, post: body.post, from }, commandContext(request, principal)));
    return commandResponse(response, unitId, result);
  }

  @Post(':unitId/posts/:personId/end')
  @HttpCode(200)
  @Roles('admin', 'office')
  @ApiOperation({ summary: 'End every post the person holds in the unit (a job change): the term stays on record' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ schema: COMMAND_RESPONSE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such unit (UNIT_NOT_FOUND).' })
  @ApiPreconditionFailedResponse({ description: 'If-Match is not the current version.' })
  @ApiUnprocessableEntityResponse({ description: 'POST_NOT_HELD, POST_END_BEFORE_START.' })
  async endPost(@Param('unitId') unitId: string, @Param('personId') personId: string, @ZodBody(endPost) body: z.infer<typeof endPost>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const at = body.at ?? this.clock.now().toISOString();
    const result = await this.commands.execute(new EndPostCommand({ unitId, personId, at, reason: body.reason ?? null }, commandContext(request, principal)));
    return commandResponse(response, unitId, result);
  }
}
