import { findingStreamId, type FindingDetected } from '@app/findings';
import { controlTargetStreamId, interviewStreamId, recommendationStreamId, reportingWindowStreamId, type IncidentRecorded, type InterviewEvent, type RecommendationEvent, type ReportingWindowEvent } from '@app/governance';
import { recorded } from '../testing/governance-events';
import { migratedDatabase } from '../testing/migrated-database';
import { findingsProjection } from '../findings/findings.projection';
import { incidentsProjection } from './incidents.projection';
import { interviewsProjection } from './interviews.projection';
import { recommendationsProjection } from './recommendations.projection';
import { reportingProjection } from './reporting.projection';
import {
  OverdueRectificationsHandler,
  OverdueRectificationsQuery,
  SameDayReportsAndIncidentsHandler,
  SameDayReportsAndIncidentsQuery,
  UnansweredRecommendationsHandler,
  UnansweredRecommendationsQuery,
} from './governance-findings.queries';

/** Beijing wall-clock time on `date` (YYYY-MM-DD) at `hhmm`, as UTC ISO. */
const bj = (date: string, hhmm: string): string => new Date(`${date}T${hhmm}:00+08:00`).toISOString();

const opened: ReportingWindowEvent = {
  type: 'governance.reporting-window-opened.v1',
  data: { windowId: 'w1', name: '两会', from: '2026-03-04', to: '2026-03-06', cutoff: '17:00', unitIds: ['cs', 'hd'], openedAt: bj('2026-03-03', '10:00') },
};
const filed = (unitId: string, date: string, nil: boolean): ReportingWindowEvent => ({
  type: 'governance.daily-report-filed.v1',
  data: { windowId: 'w1', unitId, date, nil, items: nil ? [] : [{ summary: '集体访', occurredAt: null }], filedAt: bj(date, '09:00'), cutoffAt: bj(date, '17:00'), late: false },
});
const incident = (incidentId: string, unitId: string, occurredAt: string): IncidentRecorded => ({
  type: 'governance.incident-recorded.v1',
  data: { incidentId, unitId, kind: 'collective_visit', persons: 3, occurredAt, reportedAt: occurredAt, year: 2026, summary: '集体访', recordedAt: occurredAt },
});
const DUE = '2026-04-01T09:00:00.000Z';
const made = (id: string, answerDueAt = DUE): RecommendationEvent => ({
  type: 'governance.recommendation-made.v1',
  data: { recommendationId: id, unitId: 'cs', kind: 'improve_work', text: '改进工作', answerDueAt, madeAt: '2026-03-01T02:00:00.000Z' },
});
const answered = (id: string, answeredAt: string): RecommendationEvent => ({
  type: 'governance.recommendation-answered.v1',
  data: { recommendationId: id, unitId: 'cs', text: '已采纳', adopted: true, answeredAt, answerDueAt: DUE, late: Date.parse(answeredAt) > Date.parse(DUE) },
});
const held = (id: string): InterviewEvent => ({
  type: 'governance.interview-recorded.v1',
  data: { interviewId: id, unitId: 'hd', personIds: ['p-wu'], reason: '约谈', findingIds: [], rectificationDueAt: DUE, recordedAt: '2026-03-01T02:00:00.000Z' },
});
const rectified = (id: string, reportedAt: string): InterviewEvent => ({
  type: 'governance.rectification-reported.v1',
  data: { interviewId: id, unitId: 'hd', note: '已整改', reportedAt, rectificationDueAt: DUE, late: Date.parse(reportedAt) > Date.parse(DUE) },
});

describe('the findings detector’s governance queries', () => {
  const db = migratedDatabase('proj_gov_findings');
  const target = (unitId: string): string => controlTargetStreamId(unitId, 'collective_visit', 2026);
  const reports = [
    recorded(opened, reportingWindowStreamId('w1'), 1, 1),
    recorded(filed('cs', '2026-03-04', true), reportingWindowStreamId('w1'), 2, 2),
    recorded(filed('hd', '2026-03-04', false), reportingWindowStreamId('w1'), 3, 3),
    recorded(filed('hd', '2026-03-05', true), reportingWindowStreamId('w1'), 4, 4),
  ];
  const incidents = [
    recorded(incident('i-start', 'cs', bj('2026-03-04', '00:00')), target('cs'), 1, 5),
    recorded(incident('i-before', 'cs', bj('2026-03-03', '23:59')), target('cs'), 2, 6),
    recorded(incident('i-end', 'hd', bj('2026-03-05', '23:59')), target('hd'), 1, 7),
    recorded(incident('i-next', 'cs', bj('2026-03-05', '00:00')), target('cs'), 3, 8),
  ];
  const recommendations = [
    recorded(made('r-open'), recommendationStreamId('r-open'), 1, 9),
    recorded(made('r-late'), recommendationStreamId('r-late'), 1, 10),
    recorded(made('r-ontime'), recommendationStreamId('r-ontime'), 1, 11),
    recorded(made('r-later', '2026-04-10T09:00:00.000Z'), recommendationStreamId('r-later'), 1, 12),
    recorded(answered('r-late', '2026-04-02T02:00:00.000Z'), recommendationStreamId('r-late'), 2, 13),
    recorded(answered('r-ontime', DUE), recommendationStreamId('r-ontime'), 2, 14),
  ];
  const interviews = [
    recorded(held('v-open'), interviewStreamId('v-open'), 1, 15),
    recorded(held('v-late'), interviewStreamId('v-late'), 1, 16),
    recorded(held('v-ontime'), interviewStreamId('v-ontime'), 1, 17),
    recorded(rectified('v-late', '2026-04-03T02:00:00.000Z'), interviewStreamId('v-late'), 2, 18),
    recorded(rectified('v-ontime', '2026-03-30T02:00:00.000Z'), interviewStreamId('v-ontime'), 2, 19),
  ];
  const id = (position: number): string => `00000000-0000-7000-8000-${String(position).padStart(12, '0')}`;
  const now = new Date('2026-04-05T00:00:00.000Z');

  beforeAll(async () => {
    await reportingProjection.apply(reports, db.sql);
    await incidentsProjection.apply(incidents, db.sql);
    await recommendationsProjection.apply(recommendations, db.sql);
    await interviewsProjection.apply(interviews, db.sql);
  });

  it('pairs nil reports and incidents by unit and Beijing day: 00:00 belongs to the day, 23:59 the day before does not; reports with items are left out', async () => {
    const found = await new SameDayReportsAndIncidentsHandler(db.pool).execute(
      new SameDayReportsAndIncidentsQuery([
        { unitId: 'cs', day: '2026-03-04' },
        { unitId: 'hd', day: '2026-03-05' },
        { unitId: 'hd', day: '2026-03-04' },
      ]),
    );
    const byKey = (unitId: string, day: string): string[] => found.filter((e) => e.unitId === unitId && e.day === day).map((e) => e.eventId).sort();
    expect(byKey('cs', '2026-03-04')).toEqual([id(2), id(5)]);
    expect(byKey('hd', '2026-03-05')).toEqual([id(4), id(7)]);
    expect(byKey('hd', '2026-03-04')).toEqual([]);
    expect(found).toHaveLength(4);
    expect(await new SameDayReportsAndIncidentsHandler(db.pool).execute(new SameDayReportsAndIncidentsQuery([]))).toEqual([]);
  });

  it('lists recommendations not answered by their deadline (unanswered or answered late) once it has passed, until their finding is recorded', async () => {
    const handler = new UnansweredRecommendationsHandler(db.pool);
    expect(await handler.execute(new UnansweredRecommendationsQuery(new Date(DUE)))).toEqual([]);
    expect(await handler.execute(new UnansweredRecommendationsQuery(now))).toEqual([[id(10), id(13)], [id(9)]]);
    const finding: FindingDetected = {
      type: 'findings.finding-detected.v1',
      data: { findingId: 'f-r-open', rule: 'recommendation_unanswered', taskId: null, caseId: null, unitId: 'cs', people: [], evidence: [id(9)], at: DUE, detectedAt: now.toISOString(), detail: '' },
    };
    await findingsProjection().apply([recorded(finding, findingStreamId('f-r-open'), 1, 20)], db.sql);
    expect(await handler.execute(new UnansweredRecommendationsQuery(now))).toEqual([[id(10), id(13)]]);
  });

  it('lists interviews not rectified by their deadline once it has passed', async () => {
    const handler = new OverdueRectificationsHandler(db.pool);
    expect(await handler.execute(new OverdueRectificationsQuery(new Date(DUE)))).toEqual([]);
    expect(await handler.execute(new OverdueRectificationsQuery(now))).toEqual([[id(16), id(18)], [id(15)]]);
  });
});
