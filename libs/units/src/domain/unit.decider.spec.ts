import { given } from '@app/testing';
import { unitDecider, type UnitCommand } from './unit.decider';
import type { PostAssigned, UnitEvent, UnitRegistered } from './unit.events';

const registered: UnitRegistered = { type: 'units.unit-registered.v1', data: { unitId: 'chuanshan', name: '船山区', kind: 'district', parentId: null } };
const primary = (personId: string, name: string, from: string): PostAssigned => ({ type: 'units.post-assigned.v1', data: { unitId: 'chuanshan', personId, name, post: 'primary_leader', from } });
const scenario = (history: UnitEvent[]) => given(unitDecider, history);
const register: UnitCommand = { type: 'RegisterUnit', unitId: 'chuanshan', name: '船山区', kind: 'district', parentId: null };

describe('member units and posts', () => {
  it('registers a unit once', () => {
    scenario([]).when(register).then([registered]);
    scenario([registered]).when(register).refuses('UNIT_ALREADY_EXISTS', 'conflict');
  });

  it('assigns posts only in a registered unit', () => {
    const command: UnitCommand = { type: 'AssignPost', unitId: 'chuanshan', personId: 'p-li', name: '李娜', post: 'handler', from: '2026-01-05T01:00:00.000Z' };
    scenario([registered]).when(command).then([{ type: 'units.post-assigned.v1', data: { unitId: 'chuanshan', personId: 'p-li', name: '李娜', post: 'handler', from: '2026-01-05T01:00:00.000Z' } }]);
    scenario([]).when(command).refuses('UNIT_NOT_FOUND', 'not_found');
  });

  it('refuses a post the person already holds, and a second primary leader while one is in post', () => {
    const zhang = primary('p-zhang', '张伟', '2025-03-01T00:00:00.000Z');
    scenario([registered, zhang]).when({ type: 'AssignPost', unitId: 'chuanshan', personId: 'p-zhang', name: '张伟', post: 'primary_leader', from: '2026-01-01T00:00:00.000Z' }).refuses('POST_ALREADY_HELD');
    scenario([registered, zhang]).when({ type: 'AssignPost', unitId: 'chuanshan', personId: 'p-wang', name: '王芳', post: 'primary_leader', from: '2026-01-01T00:00:00.000Z' }).refuses('PRIMARY_LEADER_IN_POST');
  });

  it('ends every post the person holds, recording the whole term, after which a successor can take it', () => {
    const zhang = primary('p-zhang', '张伟', '2025-03-01T00:00:00.000Z');
    const handler: PostAssigned = { type: 'units.post-assigned.v1', data: { unitId: 'chuanshan', personId: 'p-zhang', name: '张伟', post: 'handler', from: '2025-04-01T00:00:00.000Z' } };
    const ended: UnitEvent[] = [
      { type: 'units.post-ended.v1', data: { unitId: 'chuanshan', personId: 'p-zhang', post: 'primary_leader', from: '2025-03-01T00:00:00.000Z', to: '2026-06-30T00:00:00.000Z', reason: '调任' } },
      { type: 'units.post-ended.v1', data: { unitId: 'chuanshan', personId: 'p-zhang', post: 'handler', from: '2025-04-01T00:00:00.000Z', to: '2026-06-30T00:00:00.000Z', reason: '调任' } },
    ];
    scenario([registered, zhang, handler]).when({ type: 'EndPost', unitId: 'chuanshan', personId: 'p-zhang', at: '2026-06-30T00:00:00.000Z', reason: '调任' }).then(ended);
    scenario([registered, zhang, handler, ...ended]).when({ type: 'AssignPost', unitId: 'chuanshan', personId: 'p-wang', name: '王芳', post: 'primary_leader', from: '2026-07-01T00:00:00.000Z' }).then([primary('p-wang', '王芳', '2026-07-01T00:00:00.000Z')]);
  });

  it('refuses to end a post nobody holds, or before the term began', () => {
    scenario([registered]).when({ type: 'EndPost', unitId: 'chuanshan', personId: 'p-zhang', at: '2026-06-30T00:00:00.000Z', reason: null }).refuses('POST_NOT_HELD');
    scenario([registered, primary('p-zhang', '张伟', '2026-03-01T00:00:00.000Z')]).when({ type: 'EndPost', unitId: 'chuanshan', personId: 'p-zhang', at: '2026-02-01T00:00:00.000Z', reason: null }).refuses('POST_END_BEFORE_START');
  });
});
