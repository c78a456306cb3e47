import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AnnualStatisticsQuery, type AnnualStatistics } from '@app/projections';
import { DomainError } from '@app/shared-kernel';
import { Roles } from '../http/auth/auth.decorators';
import { ANNUAL_STATISTICS_SCHEMA } from './bulletins.schemas';
import { yearFilter } from './governance-filters';

/** 条例 41: the year's supervision in figures, for the joint meeting's annual report and for inspectors. */
@ApiTags('governance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@Controller('statistics')
export class StatisticsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('annual')
  @Roles('office_lead', 'inspector')
  @ApiOperation({
    summary:
      'Annual statistics of a Beijing calendar year (条例 41): tasks issued, supervised (any reminder or escalation), escalated (by level), overdue, closed; recommendations made, answered and adopted; findings by rule and by unit, and the units with most findings',
  })
  @ApiQuery({ name: 'year', required: true, schema: { type: 'integer', minimum: 2000, maximum: 2100 } })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' })
  @ApiOkResponse({ schema: ANNUAL_STATISTICS_SCHEMA, description: 'Counts from the read models at the moment of the read; header X-Projection-Position.' })
  @ApiBadRequestResponse({ description: 'No year, or not a year from 2000 to 2100 (INVALID_FILTER); INVALID_MIN_POSITION.' })
  @ApiForbiddenResponse({ description: 'Only the office_lead and inspectors read them (ROLE_FORBIDDEN).' })
  annual(@Query('year') year?: string): Promise<AnnualStatistics> {
    const value = yearFilter(year);
    if (value === null) throw new DomainError('invalid', 'INVALID_FILTER', 'year is required: a year from 2000 to 2100.', [{ field: 'year', message: 'required' }]);
    return this.queries.execute(new AnnualStatisticsQuery(value));
  }
}
