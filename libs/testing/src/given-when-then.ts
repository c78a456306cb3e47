import { DomainError, fold, type Decider, type DomainEvent } from '@app/shared-kernel';

/**
 * Decider specs read as the rule they check: given these events, when this command, then these
 * events (or this refusal, with its stable code).
 */
export function given<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, history: Event[]) {
  const state = fold(decider, history);
  return {
    when(command: Command) {
      const decide = (): Event[] => decider.decide(command, state);
      return {
        then(expected: Event[]): void {
          expect(decide()).toEqual(expected);
        },
        refuses(code: string, kind?: DomainError['kind']): void {
          let error: unknown;
          try {
            decide();
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect(error).toMatchObject(kind ? { code, kind } : { code });
        },
      };
    },
  };
}
