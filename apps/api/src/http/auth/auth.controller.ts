import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ROLES, type Principal } from '@app/shared-kernel';
import { text } from '../fields';
import { ZodBody } from '../zod-body';
import { CurrentPrincipal, Public } from './auth.decorators';
import { TokenService } from './token.service';

const devTokenRequest = z
  .object({
    personId: text(100),
    name: text(100),
    unitId: text(100).nullable().optional(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  })
  .strict();

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  @Post('dev-token')
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: 'A signed token for any person and roles (only when AUTH_MODE=dev, the embedded default)' })
  @ApiCreatedResponse({ description: 'The token to send as `Authorization: Bearer <token>`.', schema: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] } })
  @ApiNotFoundResponse({ description: 'AUTH_MODE is not dev.' })
  async devToken(@ZodBody(devTokenRequest) body: z.infer<typeof devTokenRequest>): Promise<{ token: string }> {
    return { token: await this.tokens.issue({ personId: body.personId, name: body.name, unitId: body.unitId ?? null, roles: [...new Set(body.roles)] }) };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the bearer token says you are' })
  @ApiOkResponse({ description: 'The verified claims.', schema: { type: 'object', properties: { personId: { type: 'string' }, name: { type: 'string' }, unitId: { type: 'string', nullable: true }, roles: { type: 'array', items: { type: 'string', enum: [...ROLES] } } } } })
  @ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
