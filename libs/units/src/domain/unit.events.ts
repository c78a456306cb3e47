import type { DomainEvent } from '@app/shared-kernel';

export const UNIT_KINDS = ['district', 'county', 'township', 'department', 'zone', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** 主要负责人, 分管负责人, 承办人, 联络员. */
export const POSTS = ['primary_leader', 'portfolio_leader', 'handler', 'liaison'] as const;
export type Post = (typeof POSTS)[number];

/** A member unit (成员单位) joined the joint meeting. */
export type UnitRegistered = DomainEvent<'units.unit-registered.v1', { unitId: string; name: string; kind: UnitKind; parentId: string | null }>;

/** Someone took a post in the unit, from a moment on (responsibility follows the person). */
export type PostAssigned = DomainEvent<'units.post-assigned.v1', { unitId: string; personId: string; name: string; post: Post; from: string }>;

/** Someone left a post; `from` repeats when the term began, so one event holds the whole term. */
export type PostEnded = DomainEvent<'units.post-ended.v1', { unitId: string; personId: string; post: Post; from: string; to: string; reason: string | null }>;

export type UnitEvent = UnitRegistered | PostAssigned | PostEnded;
