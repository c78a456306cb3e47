import { EventStore1700000000001 } from './1700000000001-event-store';
import { LedgerAndCheckpoints1700000000002 } from './1700000000002-ledger-and-checkpoints';
import { EventStoreAppendSupport1700000000003 } from './1700000000003-event-store-append-support';
import { UnitsReadModel1700000000004 } from './1700000000004-units-read-model';
import { IdempotencyKeys1700000000005 } from './1700000000005-idempotency-keys';
import { MeetingsReadModel1700000000006 } from './1700000000006-meetings-read-model';
import { TasksReadModel1700000000007 } from './1700000000007-tasks-read-model';
import { TaskBoardEntries1700000000008 } from './1700000000008-task-board-entries';
import { AccountabilityReadModel1700000000009 } from './1700000000009-accountability-read-model';
import { FindingsReadModel1700000000010 } from './1700000000010-findings-read-model';
import { ReportingWindowsReadModel1700000000011 } from './1700000000011-reporting-windows-read-model';
import { GovernanceReadModels1700000000012 } from './1700000000012-governance-read-models';
import { Bulletins1700000000013 } from './1700000000013-bulletins';
import { DatabaseRoles1700000000015 } from './1700000000015-database-roles';
import { PiiSubjectKeys1700000000016 } from './1700000000016-pii-subject-keys';

/** In order. Listed as classes (not globs) so that compiled and test builds find the same set. */
export const MIGRATIONS = [EventStore1700000000001, LedgerAndCheckpoints1700000000002, EventStoreAppendSupport1700000000003, UnitsReadModel1700000000004, IdempotencyKeys1700000000005, MeetingsReadModel1700000000006, TasksReadModel1700000000007, TaskBoardEntries1700000000008, AccountabilityReadModel1700000000009, FindingsReadModel1700000000010, ReportingWindowsReadModel1700000000011, GovernanceReadModels1700000000012, Bulletins1700000000013, DatabaseRoles1700000000015, PiiSubjectKeys1700000000016];
