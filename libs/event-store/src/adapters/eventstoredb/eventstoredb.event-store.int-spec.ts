import type { EventStore } from '../../event-store.port';
import { describeEventStoreContract, type ContractContext } from '../../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

// No EventStoreDB server can run on the development machines (DESIGN.md §3 item 9): the suite runs
// where one is provided (docker-compose) and reports itself skipped everywhere else.
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

// `$all` is shared by every run against the server, so the contract makes its own stream ids unique.
async function factory({ clock, upcasters }: ContractContext): Promise<{ store: EventStore; cleanup(): Promise<void> }> {
  if (!connectionString) throw new Error('EVENTSTORE_CONNECTION_STRING is not set');
  const store = new EventStoreDbEventStore({ connectionString, clock, upcasters });
  return { store, cleanup: () => store.close() };
}

function skipNotice(name: string): void {
  describe.skip(`${name} contract (EVENTSTORE_CONNECTION_STRING not set)`, () => {
    it('needs a server', () => undefined);
  });
}

(connectionString ? describeEventStoreContract : skipNotice)('eventstoredb', factory);
