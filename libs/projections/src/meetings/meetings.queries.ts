import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import type { Attendee, Dissent, MeetingKind } from '@app/meetings';
import { DomainError, toBeijingIso } from '@app/shared-kernel';
import { READ_MODELS } from '../read-models';

export interface DecisionView {
  decisionId: string;
  text: string;
  deciders: string[];
  participants: string[];
  dissents: Dissent[];
  taskIds: string[];
  recordedAt: string;
}

export interface MeetingView {
  id: string;
  title: string;
  kind: MeetingKind;
  convenorId: string;
  convenorName: string;
  heldAt: string;
  attendees: Attendee[];
  /** In the order they were recorded. */
  decisions: DecisionView[];
  version: number;
}

export class GetMeetingQuery extends Query<MeetingView> {
  constructor(readonly meetingId: string) {
    super();
  }
}

interface MeetingRow {
  id: string;
  title: string;
  kind: MeetingKind;
  convenor_id: string;
  convenor_name: string;
  held_at: Date;
  attendees: Attendee[];
  version: number;
}

interface DecisionRow {
  decision_id: string;
  text: string;
  deciders: string[];
  participants: string[];
  dissents: Dissent[];
  task_ids: string[];
  recorded_at: Date;
}

const decision = (d: DecisionRow): DecisionView => ({
  decisionId: d.decision_id,
  text: d.text,
  deciders: d.deciders,
  participants: d.participants,
  dissents: d.dissents,
  taskIds: d.task_ids,
  recordedAt: toBeijingIso(d.recorded_at),
});

@QueryHandler(GetMeetingQuery)
export class GetMeetingHandler implements IQueryHandler<GetMeetingQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ meetingId }: GetMeetingQuery): Promise<MeetingView> {
    const m = (await this.db.query<MeetingRow>('SELECT * FROM rm_meetings WHERE id = $1', [meetingId])).rows[0];
    if (!m) throw new DomainError('not_found', 'MEETING_NOT_FOUND', `There is no meeting ${meetingId}.`);
    const decisions = (await this.db.query<DecisionRow>('SELECT * FROM rm_meeting_decisions WHERE meeting_id = $1 ORDER BY position', [meetingId])).rows;
    return {
      id: m.id,
      title: m.title,
      kind: m.kind,
      convenorId: m.convenor_id,
      convenorName: m.convenor_name,
      heldAt: toBeijingIso(m.held_at),
      attendees: m.attendees,
      decisions: decisions.map(decision),
      version: m.version,
    };
  }
}
