import { DomainError, type Decider } from '@app/shared-kernel';
import { periodBounds, requirePeriod } from './bulletin-period';
import type { BulletinDocument, BulletinEvent, DocumentSeal } from './bulletin.events';

export interface BulletinState {
  issued: boolean;
  /** The frozen document once issued (the next month's bulletin reads its last places). */
  document: BulletinDocument | null;
}

/**
 * The handler composes and seals the document from the read models before deciding;
 * `laterIssued`: the next month's bulletin exists already (another stream, checked by the handler).
 */
export type BulletinCommand = { type: 'IssueBulletin'; period: string; document: BulletinDocument; seal: DocumentSeal; publicKey: string; laterIssued: boolean; now: string };

export const initialBulletinState: BulletinState = { issued: false, document: null };

function issue(state: BulletinState, command: BulletinCommand): BulletinEvent[] {
  const { period, document, seal, publicKey, now } = command;
  if (state.issued) throw new DomainError('conflict', 'BULLETIN_ALREADY_ISSUED', `The bulletin for ${period} was issued on ${state.document?.issuedAt ?? 'an earlier day'}; an issued bulletin is never issued again.`);
  const { to } = periodBounds(requirePeriod(period));
  if (Date.parse(now) < Date.parse(to)) {
    throw new DomainError('rule', 'PERIOD_NOT_ENDED', `${period} ends at ${document.to}: a month is bulletined once it is over.`, [{ field: 'period', message: 'the month has not ended' }]);
  }
  // Issued in order, so that each bulletin saw the one before it when it flagged units for 约谈.
  if (command.laterIssued) throw new DomainError('rule', 'LATER_BULLETIN_ISSUED', `The bulletin of the month after ${period} is issued already; months are bulletined in order.`, [{ field: 'period', message: 'a later month is issued' }]);
  return [
    { type: 'governance.bulletin-issued.v1', data: { period, document, seal, publicKey } },
    ...document.interviewFlags.map((f): BulletinEvent => ({ type: 'governance.interview-flagged.v1', data: { period, unitId: f.unitId, periods: f.periods, ranks: f.ranks } })),
  ];
}

export function evolveBulletin(state: BulletinState, event: BulletinEvent): BulletinState {
  switch (event.type) {
    case 'governance.bulletin-issued.v1':
      return { issued: true, document: event.data.document };
    case 'governance.interview-flagged.v1':
      return state;
  }
}

/** 月通报: issued once per month after it ends, frozen with its seal, with a 约谈 flag per unit it flags. */
export const bulletinDecider: Decider<BulletinCommand, BulletinEvent, BulletinState> = {
  initialState: initialBulletinState,
  evolve: evolveBulletin,
  decide: (command, state) => issue(state, command),
};
