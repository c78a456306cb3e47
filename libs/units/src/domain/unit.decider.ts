import { DomainError, type Decider } from '@app/shared-kernel';
import type { Post, UnitEvent, UnitKind } from './unit.events';

export interface Holding {
  personId: string;
  name: string;
  post: Post;
  from: string;
}

export interface UnitState {
  registered: boolean;
  unitId: string;
  /** Current holders of posts; ended terms live on in the events. */
  holdings: Holding[];
}

export type UnitCommand =
  | { type: 'RegisterUnit'; unitId: string; name: string; kind: UnitKind; parentId: string | null }
  | { type: 'AssignPost'; unitId: string; personId: string; name: string; post: Post; from: string }
  | { type: 'EndPost'; unitId: string; personId: string; at: string; reason: string | null };

/** `units.unit-<id>`: one stream per member unit, its posts included. */
export const unitStreamId = (unitId: string): string => `units.unit-${unitId}`;

function requireRegistered(state: UnitState, unitId: string): void {
  if (!state.registered) throw new DomainError('not_found', 'UNIT_NOT_FOUND', `There is no member unit ${unitId}.`);
}

function assign(state: UnitState, command: Extract<UnitCommand, { type: 'AssignPost' }>): UnitEvent[] {
  requireRegistered(state, command.unitId);
  if (state.holdings.some((h) => h.personId === command.personId && h.post === command.post)) {
    throw new DomainError('rule', 'POST_ALREADY_HELD', `${command.name} already holds the post ${command.post} in this unit.`);
  }
  // One primary leader at a time: the outgoing one's term is ended explicitly, so that who was
  // responsible on any day is never ambiguous.
  const primary = state.holdings.find((h) => h.post === 'primary_leader');
  if (command.post === 'primary_leader' && primary) {
    throw new DomainError('rule', 'PRIMARY_LEADER_IN_POST', `${primary.name} is the primary leader since ${primary.from}; end that term first.`);
  }
  const { unitId, personId, name, post, from } = command;
  return [{ type: 'units.post-assigned.v1', data: { unitId, personId, name, post, from } }];
}

function end(state: UnitState, command: Extract<UnitCommand, { type: 'EndPost' }>): UnitEvent[] {
  requireRegistered(state, command.unitId);
  const held = state.holdings.filter((h) => h.personId === command.personId);
  if (held.length === 0) throw new DomainError('rule', 'POST_NOT_HELD', `${command.personId} holds no post in this unit.`);
  const early = held.find((h) => Date.parse(command.at) < Date.parse(h.from));
  if (early) throw new DomainError('rule', 'POST_END_BEFORE_START', `The term as ${early.post} began at ${early.from}; it cannot end before that.`);
  return held.map((h) => ({ type: 'units.post-ended.v1', data: { unitId: command.unitId, personId: h.personId, post: h.post, from: h.from, to: command.at, reason: command.reason } }));
}

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = {
  initialState: { registered: false, unitId: '', holdings: [] },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterUnit': {
        if (state.registered) throw new DomainError('conflict', 'UNIT_ALREADY_EXISTS', `The member unit ${command.unitId} is already registered.`);
        const { unitId, name, kind, parentId } = command;
        return [{ type: 'units.unit-registered.v1', data: { unitId, name, kind, parentId } }];
      }
      case 'AssignPost':
        return assign(state, command);
      case 'EndPost':
        return end(state, command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'units.unit-registered.v1':
        return { registered: true, unitId: event.data.unitId, holdings: [] };
      case 'units.post-assigned.v1': {
        const { personId, name, post, from } = event.data;
        return { ...state, holdings: [...state.holdings, { personId, name, post, from }] };
      }
      case 'units.post-ended.v1':
        return { ...state, holdings: state.holdings.filter((h) => !(h.personId === event.data.personId && h.post === event.data.post)) };
    }
  },
};
