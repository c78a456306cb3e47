export * from './data-source';
export * from './migrations';
export * from './read-models';
export * from './runner/projection';
export * from './runner/projection-runner';
export * from './units/units.queries';
export * from './meetings/meetings.queries';
export * from './projections.module';
