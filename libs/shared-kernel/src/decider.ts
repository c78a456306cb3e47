/** A domain event before it is recorded: a stable wire name (`<context>.<event>.v<n>`) and its data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/**
 * A pure aggregate (STYLE.md rule 1): `decide` turns a command and the current state into new
 * events or throws a DomainError; `evolve` folds an event into the state. No clock, no ids, no I/O:
 * whatever they need (the time, a computed deadline) arrives in the command.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

/** The state after the given events, from the decider's initial state. */
export function fold<Event extends DomainEvent, State>(decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>, events: readonly Event[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState);
}
